# The acceptance suite in a container, for `docker compose -f docker-compose.test.yml --profile suite run suite`.
# It runs with stack=external against the compose servers; results go to /suite/reports (mounted).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /suite

# Requirements first: the dependency layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Runs as root on purpose: ./reports is bind-mounted from the host and belongs to the host's user;
# root can write there, an unprivileged user in the image generally cannot.
ENV STACK=external
# pyproject.toml's [tool.behave] sends Allure results to reports/allure-results.
CMD ["behave"]
