@ui @fixture.browser
Feature: The storefront in a browser
  Customers use the shop through its web pages: they sign in, browse and search the catalogue, fill a
  basket, place the order, pay by card and follow the order's status. These scenarios say what the API
  scenarios say, in the same words; here each customer acts in a real browser, and what the page tells
  her is checked beside what the shop stored, charged and announced.

  Background:
    Given Alice is a customer
    And the catalogue has
      | product         | price | stock |
      | Kettle          | 25.00 |     5 |
      | Electric Kettle | 49.90 |     2 |
      | Mug             | 10.00 |    10 |

  Scenario: A customer signs in to the storefront
    When Alice signs in with her password
    Then Alice is signed in as a customer for 1 hour
    And the shop records when Alice last signed in

  Scenario: A wrong password is refused, saying why, and counted
    When Alice signs in with the password "not-her-password-1"
    Then the sign-in is refused with "Invalid email or password"
    And the shop counts 1 failed sign-ins for Alice's email
    And the shop has not recorded a sign-in for Alice

  Scenario: A customer browses the catalogue, in order of name
    When Alice browses the catalogue
    Then she sees these products
      | product         | price | stock |
      | Electric Kettle | 49.90 |     2 |
      | Kettle          | 25.00 |     5 |
      | Mug             | 10.00 |    10 |

  Scenario: A customer finds products by part of their name, whatever the case
    When Alice searches the catalogue for "KETTLE"
    Then she sees these products
      | product         | price | stock |
      | Electric Kettle | 49.90 |     2 |
      | Kettle          | 25.00 |     5 |

  Scenario: An order from the basket takes its stock and totals the current prices
    When Alice orders
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |
    Then Alice's order is accepted as pending
    And Alice's order is stored with these lines
      | product | quantity | price |
      | Mug     |        2 | 10.00 |
      | Kettle  |        1 | 25.00 |
    And the stock is now
      | product | stock |
      | Mug     |     8 |
      | Kettle  |     4 |
    And the shop announces Alice's order as placed, with its total of 45.00

  Scenario: An order for more than there is in stock is refused, saying why, and nothing changes
    When Alice orders 100 Mugs
    Then the order is refused because there is not enough stock of Mug
    And the stock is still as it was
    And Alice has no orders stored

  Scenario: Process payment and send receipt
    Given Alice has ordered
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |
    When Alice pays for her order
    Then Alice is told her order of 45.00 USD is paid
    And Alice's order is paid
    And Alice is charged 45.00 USD once
    And the shop announces that Alice's order is paid, with its total of 45.00
    And Alice receives a receipt for her order

  Scenario: A declined card fails the payment with the provider's reason
    Given Alice has ordered 1 Kettle
    And the payment provider declines the card as insufficient_funds
    When Alice pays for her order
    Then Alice is told her card was declined as insufficient_funds
    And Alice's order is marked as payment failed, because of insufficient_funds
    And Alice is not charged
    And Alice receives no receipt

  Scenario: After a declined card, the order is paid with another card
    Given Alice has ordered 1 Kettle
    And the payment provider declines Alice's card as expired_card
    When Alice pays for her order
    Then Alice is told her card was declined as expired_card
    When Alice pays for her order with another card
    Then Alice's order is paid
    And Alice is charged 25.00 USD once
    And Alice receives a receipt for her order

  Scenario: Cancelling a pending order gives its stock back
    Given Alice has ordered 4 Mugs
    When Alice cancels her order
    Then Alice's order is cancelled
    And the stock of Mug is 10

  Scenario: A customer lists her own orders, newest first, and nobody else's
    Given Bob is a customer
    And Alice has ordered 1 Mug
    And Bob has ordered 1 Kettle
    And Alice has ordered 2 Kettles
    When Alice lists her orders
    Then Alice sees her 2 orders, newest first

  Scenario: A customer cannot see another customer's order
    Given Bob is a customer
    And Alice has ordered 1 Kettle
    When Bob looks at Alice's order
    Then he is told the order was not found

  Scenario: A customer orders, pays, and follows her order until it ships
    When Alice orders 2 Kettles
    And Alice pays for her order
    Then Alice is told her order of 50.00 USD is paid
    And Alice is charged 50.00 USD once
    And the stock of Kettle is 3
    And Alice's order is shipped
    When Alice looks at her order
    Then Alice sees her order is shipped
