"""What runs: the PostgreSQL, Redis and RabbitMQ servers (stack), the shop under test, and the run that starts them."""
