"""Everything the acceptance suite uses to talk to a wire: the shop's API, its database, Redis,
RabbitMQ, the fakes of third-party providers, provisioning, reset and reporting."""
