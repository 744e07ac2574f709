Feature: Order events
  The shop tells the rest of the business about its orders through RabbitMQ, and its own worker
  ships the orders that are paid. Every event is processed, retried after a pause when processing
  fails, set aside with its error when it cannot be processed, never processed twice, never lost.

  Background:
    Given the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |    50 |
    And Alice is a customer

  @not.with_shop=url
  Scenario: Order events published in order are all processed
    Given the order worker is stopped
    And Alice has 5 orders for a Kettle awaiting shipment
    And the payment service has announced each of them as paid, in order
    When the order worker starts
    Then all 5 of Alice's orders are shipped, each once, in the order they were paid
    And Alice receives 5 "Your order has shipped" emails

  Scenario: Processing that fails twice succeeds on the third attempt
    Given Alice has an order for a Kettle awaiting shipment
    And the email provider will fail the next 2 emails
    When the payment service announces Alice's order as paid
    Then Alice's order is shipped
    And the event about Alice's order was completed on attempt 3, after 2 retries
    And Alice still has exactly one "Your order has shipped" email

  Scenario: An event failing every time is parked with its error, and others carry on
    Given Alice has an order for a Kettle awaiting shipment
    When the payment service announces an order the shop does not know as paid
    And the payment service announces Alice's order as paid
    Then Alice's order is shipped
    And the event about the unknown order is parked after 4 attempts with the error "not found"

  Scenario: A failing event waits each retry delay in turn, from the shortest, before it is parked
    Given Alice has an order for a Kettle awaiting shipment
    And the email provider will fail the next 4 emails
    When the payment service announces Alice's order as paid
    Then the event about Alice's order is parked after 4 attempts with the error "did not accept"
    And before each new attempt it waited the next retry delay, in order

  Scenario Outline: A message that cannot be processed is parked at once, never retried
    When a message arrives on the order events that is <problem>
    Then it is parked after 1 attempt with the error "<error>"
    And no order event was processed

    Examples:
      | problem                     | error                            |
      | not JSON                    | body is not JSON                 |
      | JSON but not an event       | body is not an event             |
      | of a type nobody handles    | unknown message type             |
      | without a proper message id | is not a UUID                    |

  Scenario Outline: The same event delivered twice ships the order once and sends one email, <when>
    Given Alice has an order for a Kettle awaiting shipment
    And the email provider takes <ms> milliseconds to accept each email
    When the payment service announces Alice's order as paid, twice with the same message id
    Then Alice's order is shipped
    And Alice's order has exactly one shipment
    And Alice still has exactly one "Your order has shipped" email

    Examples:
      | when                                     | ms  |
      | however quickly the email goes out       | 0   |
      | even when the email provider takes a while | 150 |

  @not.with_shop=url
  Scenario: A worker stopped mid-stream and restarted loses no event
    Given the order worker is stopped
    And Alice has 20 orders for a Kettle awaiting shipment
    And the payment service has announced each of them as paid, in order
    And the email provider takes 50 milliseconds to accept each email
    When the order worker starts
    And the order worker is stopped once 5 of Alice's orders are shipped
    Then some of Alice's orders are still waiting to be shipped
    When the order worker starts again
    Then all 20 of Alice's orders are shipped, each once
    And Alice receives 20 "Your order has shipped" emails

  @not.with_shop=url
  Scenario: A worker that dies while it handles an event loses nothing: the event is handled once it is back
    # The email provider answers slowly and refuses that first email, so the worker is caught mid-way.
    Given Alice has an order for a Kettle awaiting shipment
    And the email provider takes 300 milliseconds to accept each email
    And the email provider will fail the next 1 emails
    When the payment service announces Alice's order as paid
    And the order worker dies abruptly while it handles the event
    And the order worker is back
    Then Alice's order is shipped
    And Alice's order has exactly one shipment
    And Alice still has exactly one "Your order has shipped" email

  @not.with_shop=url
  Scenario: A worker that loses the broker while it handles an event handles it once the broker is back
    Given Alice has an order for a Kettle awaiting shipment
    And the email provider takes 300 milliseconds to accept each email
    And the email provider will fail the next 1 emails
    When the payment service announces Alice's order as paid
    And the shop loses its connection to the broker while the worker handles the event
    And the shop's connection to the broker comes back
    Then Alice's order is shipped
    And Alice's order has exactly one shipment
    And Alice still has exactly one "Your order has shipped" email

  @not.with_shop=url
  Scenario: The worker reconnects after losing its connection to the broker
    Given Alice has an order for a Kettle awaiting shipment
    And the shop has lost its connection to the broker
    When the payment service announces Alice's order as paid
    And the shop's connection to the broker comes back
    Then Alice's order is shipped
    And Alice still has exactly one "Your order has shipped" email

  @not.with_shop=url
  Scenario: An order paid while the broker is unreachable is shipped once the broker is back
    Given Alice has ordered 1 Kettle
    And the shop has lost its connection to the broker
    When Alice pays for her order
    Then Alice's order is paid
    And the shop keeps the news that Alice's order is paid until the broker is back
    When the shop's connection to the broker comes back
    Then Alice's order is shipped
    And Alice receives an email "Your order has shipped"

  Scenario: Placing an order is announced to the rest of the business
    When Alice orders 2 Kettles
    Then the shop announces Alice's order as placed, with its total of 50.00
