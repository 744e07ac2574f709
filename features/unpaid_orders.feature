Feature: Unpaid orders expire and give their stock back
  An order holds its stock until it is paid. One left unpaid longer than the shop allows (a setting,
  30 minutes by default) expires, and its stock goes back on sale; paid orders are not touched.

  Background:
    Given Alice is a customer
    And Bob is a customer
    And the catalogue has
      | product | price | stock |
      | Mug     | 10.00 |    10 |

  Scenario: An order left unpaid longer than the shop allows expires, and its stock goes back
    Given Alice has ordered 9 Mugs
    And Bob has ordered 1 Mug
    And Bob has paid for his order
    When the shop expires orders left unpaid for more than 1 second
    Then Alice's order has expired
    And the stock of Mug is 9
    And Bob's order is paid
    And the shop announces that Alice's order has expired, with its total of 90.00
