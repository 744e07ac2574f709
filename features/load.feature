@load @use.with_own_process=yes
Feature: The catalogue under load
  Many customers browse the catalogue at the same moment. Every one of them gets the whole catalogue,
  right, every time; the answers stay quick (the budget is the setting load_p95_ms, so a slower
  machine can widen it; it runs where the shop has a process of its own); and no request has to wait for a database connection, because listings
  come from the cache. `make load` runs a larger crowd with Locust and prints the same figures.

  Scenario: 100 customers browse the catalogue 10 times each at the same moment
    Given the catalogue has 20 products
    And 100 customers are signed in
    When they all browse the catalogue 10 times each at the same moment
    Then each of the 1000 answers listed the whole catalogue, right
    And 95 % of the answers came within the load budget
    And no request waited for a database connection
