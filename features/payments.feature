Feature: Paying for orders
  A customer pays for her order by card through the shop's payment provider. A paid order is charged
  exactly once, however often it is asked for and whatever the provider does: a declined card is
  reported with the provider's reason, an outage leaves the order unpaid and payable, and an answer
  lost on its way back is never a second charge. An administrator can refund a paid order.

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

  Scenario: Process payment and send receipt
    When Alice pays for her order
    Then Alice is told her order of 45.00 USD is paid
    And Alice's order is paid
    And Alice is charged 45.00 USD once
    And the shop asked the payment provider once for Alice's order
    And Alice receives a receipt for her order
    And the shop announces that Alice's order is paid, with its total of 45.00

  Scenario Outline: Handle API failures gracefully: the payment provider <trouble>
    Given the payment provider <trouble>
    When Alice pays for her order
    Then Alice is told payment processing failed
    And Alice can still pay for her order
    And Alice is not charged
    And Alice receives no receipt
    And the shop gave up after 3 tries with one idempotency key, waiting at most 10 seconds for each

    Examples:
      | trouble                   |
      | fails with server errors  |
      | does not answer           |
      | is down                   |

  Scenario: A provider failing twice is tried again, and the third try charges once
    Given the payment provider fails with server errors 2 times
    When Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once
    And the shop asked the payment provider 3 times for Alice's order, with one idempotency key

  Scenario Outline: A declined card fails the payment with the provider's reason: <reason>
    Given the payment provider declines the card as <reason>
    When Alice pays for her order
    Then Alice is told her card was declined as <reason>
    And Alice's order is marked as payment failed, because of <reason>
    And Alice is not charged
    And Alice receives no receipt

    Examples:
      | reason             |
      | insufficient_funds |
      | expired_card       |
      | stolen_card        |

  Scenario: After a declined card, the order is paid with another card
    Given the payment provider declines Alice's card as insufficient_funds
    When Alice pays for her order
    Then Alice is told her card was declined as insufficient_funds
    When Alice pays for her order with another card
    Then Alice's order is paid
    And Alice is charged 45.00 USD once
    And each of Alice's 2 payment attempts had its own idempotency key
    And Alice receives a receipt for her order

  Scenario: A provider that does not answer in time leaves the order to be paid later
    Given the payment provider does not answer
    When Alice pays for her order
    Then Alice is told payment processing failed
    And Alice can still pay for her order
    When the payment provider is back
    And Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once

  Scenario: An answer lost on its way back is tried again and not charged twice
    Given the payment provider loses its answer once after charging
    When Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once
    And the shop asked the payment provider 2 times for Alice's order, with one idempotency key

  Scenario: A charge whose every answer was lost is found, not repeated, when the customer pays again
    Given the payment provider loses every answer after charging
    When Alice pays for her order
    Then Alice is told payment processing failed
    When the payment provider is back
    And Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once
    And Alice receives a receipt for her order

  Scenario: A slow provider, within the shop's patience, still charges once
    Given the payment provider answers only after 1 second
    When Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once

  Scenario: Paying twice at the same moment charges once
    Given the payment provider takes 300 milliseconds to answer
    When Alice pays for her order twice at the same moment
    Then one payment is accepted and the other is refused because a payment is under way
    And Alice is charged 45.00 USD once
    And the shop asked the payment provider once for Alice's order
    And Alice receives a receipt for her order

  Scenario: Paying again after a lost response does not charge again
    Given Alice has paid for her order
    When Alice pays for her order
    Then the payment is refused because the order is already paid
    And Alice is charged 45.00 USD once
    And Alice still has exactly one receipt for her order

  Scenario Outline: Only the customer who placed an order can pay for it, not <who>
    Given <who> is <role>
    When <who> pays for Alice's order
    Then the payment is refused because <reason>
    And Alice is not charged
    And Alice's order is still pending

    Examples:
      | who | role             | reason                                        |
      | Bob | a customer       | the order is not his                          |
      | Ada | an administrator | only the customer who placed it can pay for it |

  Scenario: A cancelled order cannot be paid
    Given that order has been cancelled
    When Alice pays for her order
    Then the payment is refused because the order is cancelled
    And Alice is not charged

  @not.with_shop=url
  Scenario: An administrator refunds a paid order: the provider refunds it and the stock comes back
    Given Ada is an administrator
    And the order worker is stopped
    And Alice has paid for her order
    When Ada refunds Alice's order
    Then Alice's payment of 45.00 is refunded
    And the stock is now
      | product | stock |
      | Mug     |    10 |
      | Kettle  |     5 |
    And the shop announces that Alice's order is refunded, with its total of 45.00

  @not.with_shop=url
  Scenario: A refund the provider does not confirm changes nothing
    Given Ada is an administrator
    And the order worker is stopped
    And Alice has paid for her order
    And the payment provider fails with server errors
    When Ada refunds Alice's order
    Then the refund is refused because the refund could not be processed
    And nothing is refunded and Alice's order stays paid
    And the stock is now
      | product | stock |
      | Mug     |     8 |
      | Kettle  |     4 |

  @not.with_shop=url
  Scenario: A customer cannot refund her own order
    Given the order worker is stopped
    And Alice has paid for her order
    When Alice refunds her own order
    Then the refund is refused because it needs an administrator
    And nothing is refunded and Alice's order stays paid

  Scenario: An order that is not paid cannot be refunded
    Given Ada is an administrator
    When Ada refunds Alice's order
    Then the refund is refused because the order is not paid
    And Alice's order is still pending

  @api-contract
  Scenario: The answer to a payment
    When Alice pays for her order
    Then the response status is 200
    And the response matches
      """
      {"orderId": "#uuid", "status": "paid", "amount": "45.00", "currency": "USD", "paidAt": "#string",
       "refundedAt": "#notpresent"}
      """

  @api-contract
  Scenario: The answer to a declined card names the decline code
    Given the payment provider declines the card as insufficient_funds
    When Alice pays for her order
    Then the response status is 402
    And the response matches
      """
      {"error": "Your card was declined: Your card has insufficient funds.", "errors": {"card": "insufficient_funds"}}
      """

  @api-contract
  Scenario: A payment without a card is refused before the provider is asked
    When Alice pays for her order without a card
    Then the response status is 400
    And the response matches
      """
      {"error": "The payment could not be made", "errors": {"cardToken": "Give the card token from the payment form"}}
      """
    And Alice is not charged

  Scenario: An order whose card was declined can be cancelled, and its stock returns
    Given the payment provider declines the card as expired_card
    When Alice pays for her order
    And Alice cancels her order
    Then Alice's order is cancelled
    And the stock of Mug is 10
    And the stock of Kettle is 5
    And Alice is not charged
