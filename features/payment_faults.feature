Feature: Payments when the provider is slow or its answers are lost
  The shop never holds a database connection or an order's lock while it waits for the payment
  provider, so a slow provider slows only the payments waiting on it. And no payment is left
  unresolved: when the provider's answer is lost, the shop asks the provider what became of the
  payment before the order can be paid again, cancelled or expired, so the customer ends up charged
  exactly once for an order she has, or refunded.

  Background:
    Given Alice is a customer
    And the catalogue has
      | product | price | stock |
      | Mug     | 10.00 |    10 |
      | Kettle  | 25.00 |     5 |
    And Alice has ordered
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |

  Scenario: Four slow payments do not hold up the rest of the shop
    Given Bob, Carol and Dan are customers who have each ordered a Mug
    And Erin is a customer
    And the payment provider keeps every answer waiting
    When Alice, Bob, Carol and Dan pay for their orders at the same moment
    And Erin browses the catalogue while all four payments wait for the provider
    Then Erin sees the catalogue before any of the four payments is answered
    And while the four payments waited, the shop held no database transaction and no lock on their orders
    When the payment provider answers
    Then Alice, Bob, Carol and Dan are each charged once and their orders are paid

  Scenario: A lost answer is looked up before the customer cancels, and the charge found is refunded
    Given the payment provider loses every answer after charging
    When Alice pays for her order
    Then Alice is told payment processing failed
    When the payment provider is back
    And Alice cancels her order
    Then Alice's order is cancelled
    And the stock of Mug is 10
    And the stock of Kettle is 5
    And the shop asked the payment provider what became of Alice's payment
    And Alice's charge of 45.00 USD is refunded in full, once

  Scenario: A payment that never reached the provider is looked up, and the order is cancelled without a refund
    Given the payment provider does not answer
    When Alice pays for her order
    Then Alice is told payment processing failed
    When the payment provider is back
    And Alice cancels her order
    Then Alice's order is cancelled
    And the stock of Mug is 10
    And the shop asked the payment provider what became of Alice's payment
    And Alice is not charged

  Scenario: While the provider cannot say what became of a payment, the order cannot be cancelled
    Given the payment provider loses every answer after charging
    When Alice pays for her order
    And Alice cancels her order
    Then Alice is told her earlier payment is not confirmed yet
    And Alice's order is still payment_pending
    And the stock of Mug is 8
    When the payment provider is back
    And Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once
    And the shop charged Alice's card only in the first payment's tries
    And Alice receives a receipt for her order

  Scenario: A lost answer is looked up when the customer pays again, and the charge it made pays the order
    Given the payment provider loses every answer after charging
    When Alice pays for her order
    Then Alice is told payment processing failed
    When the payment provider is back
    And Alice pays for her order
    Then Alice is told her order of 45.00 USD is paid
    And Alice is charged 45.00 USD once
    And the shop asked the payment provider what became of Alice's payment
    And the shop charged Alice's card only in the first payment's tries
