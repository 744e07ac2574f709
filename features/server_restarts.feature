@use.with_server_restarts=yes
Feature: The shop carries on when one of its servers restarts
  The database, the cache and the message broker are restarted now and then (an upgrade, a failover, a
  crash). The shop must not need a restart of its own: it says it is briefly unavailable while it
  cannot work, and carries on once the server is back, losing nothing and doing nothing twice.
  These scenarios restart the run's own servers, so they run where the suite started them in
  containers (stack=docker) and are skipped elsewhere.

  Background:
    Given the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |    20 |
    And Alice is a customer

  Scenario: While the database server is down the shop says it is briefly unavailable, and it recovers by itself
    Given Alice has signed in
    And Alice has ordered 1 Kettle
    When the database server stops
    And Alice tries to order 2 Kettles
    Then the order is refused because the shop is briefly unavailable
    When the database server starts again
    And Alice orders 2 Kettles
    Then Alice's order is accepted as pending
    And Alice has 2 orders stored
    And the stock of Kettle is 17

  Scenario: The message broker restarts between orders; every order event is still processed once
    Given Alice has an order for a Kettle awaiting shipment
    When the message broker restarts
    And the payment service announces Alice's order as paid
    Then Alice's order is shipped
    And Alice's order has exactly one shipment
    And Alice still has exactly one "Your order has shipped" email

  Scenario: The cache server restarts; signing in and the catalogue carry on, and the listings are cached again
    Given Alice has browsed the catalogue
    When the cache server restarts
    Then the cache keeps at most 0 catalogue listings
    When Alice signs in and browses the catalogue 3 times
    Then each sign-in and each listing was answered
    And the listings Alice browses are kept in the cache again within 5 seconds
