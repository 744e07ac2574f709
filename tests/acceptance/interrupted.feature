# Not part of the suite (it lives outside features/): tests/test_interrupted_runs.py kills a run of it
# while its messages are in flight, then proves that the next run on the same names passes.
Feature: A run killed while its order events are in flight

  Scenario: Many paid orders handled slowly, some emails refused and retried
    Given the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |    50 |
    And Alice is a customer
    And the order worker is stopped
    And Alice has 20 orders for a Kettle awaiting shipment
    And the payment service has announced each of them as paid, in order
    And the email provider takes 300 milliseconds to accept each email
    And the email provider will fail the next 3 emails
    When the order worker starts
    Then all 20 of Alice's orders are shipped, each once
