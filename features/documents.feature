Feature: Order documents
  Every paid order's receipt is kept as a document in the shop's cloud storage, privately, labelled
  with its order and its customer. The customer downloads it through the shop with a link that works
  for a short while; nobody else can. Storage being out of reach never undoes a payment: the receipt
  waits in the shop and is stored once storage is back, exactly once.

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

  Scenario: A paid order's receipt is stored, naming the order, its lines and the total paid
    When Alice pays for her order
    Then the shop has stored Alice's receipt for her order, listing
      | product | quantity | price |
      | Mug     |        2 | 10.00 |
      | Kettle  |        1 | 25.00 |
    And Alice's receipt says she paid 45.00 USD

  Scenario: The customer downloads the receipt of her paid order
    Given Alice has paid for her order
    When Alice downloads the receipt of her order
    Then Alice gets the receipt stored for her order

  Scenario: Another customer can neither get a link to someone's receipt nor make one
    Given Bob is a customer
    And Bob has ordered 1 Mug
    And Alice has paid for her order
    And Bob has paid for his order
    When Bob asks for the receipt of Alice's order
    Then he is told the order was not found
    When Bob edits the link to his own receipt to name Alice's order
    Then the edited link is refused

  Scenario: A link to a receipt stops working when it expires
    Given Alice has paid for her order
    When Alice asks for a link to the receipt of her order
    Then the link gives her the receipt, until it expires

  @not.with_shop=url
  Scenario: A payment goes through while the document storage is out of reach, and its receipt is stored once it is back
    Given the shop cannot reach its document storage
    When Alice pays for her order
    Then Alice is told her order of 45.00 USD is paid
    And Alice's order is paid
    And Alice is charged 45.00 USD once
    And Alice receives a receipt for her order
    And no receipt of Alice's order is in storage yet
    And Alice's receipt is kept to be stored later
    When the document storage is back
    Then Alice's receipt is stored, once
