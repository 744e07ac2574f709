"""The shop's RabbitMQ adapter: topology, publishing and the order-events worker."""
