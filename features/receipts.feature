Feature: Payment receipts
  Every paid order earns its customer one receipt by email, naming the order, what was in it and what
  was paid. The email provider being down never undoes a payment: the receipt is kept and sent once
  the provider is back, exactly once however often the shop sends what it kept.

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

  Scenario: The receipt names the order, its lines and the total paid
    When Alice pays for her order
    Then Alice receives a receipt for her order, listing
      | product | quantity | price |
      | Mug     |        2 | 10.00 |
      | Kettle  |        1 | 25.00 |

  Scenario: Each paid order has its own receipt
    Given Alice has ordered 1 Kettle
    When Alice pays for each of her orders
    Then Alice receives a receipt for each of her orders

  @not.with_shop=url
  Scenario Outline: A payment goes through while the email provider <trouble>, and its receipt follows once
    # The warehouse waits, so that only the receipt meets the email provider's trouble.
    Given the order worker is stopped
    And the email provider <trouble>
    When Alice pays for her order
    Then Alice's order is paid
    And Alice is charged 45.00 USD once
    And Alice has not received a receipt yet
    And Alice's receipt is kept to be sent later
    When the email provider is back
    And the shop sends the emails it kept
    Then Alice receives a receipt for her order
    When the shop sends the emails it kept
    Then Alice still has exactly one receipt for her order

    Examples:
      | trouble                            |
      | is down                            |
      | fails with server errors           |
      | answers only after 30 seconds      |

  Scenario: A declined payment sends no receipt, and the receipt comes with the payment that succeeds
    Given the payment provider declines Alice's card as insufficient_funds
    When Alice pays for her order
    Then Alice receives no receipt
    When Alice pays for her order with another card
    Then Alice receives a receipt for her order
