Feature: Inventory under concurrent buyers
  Many customers may order the same products at the same moment. Stock is never sold twice and
  never goes below zero; each refusal says why; and orders that take the same products in
  different orders never deadlock one another. Each customer orders on a connection of their own,
  all released at one instant, so the shop really handles the orders side by side.

  Scenario Outline: <buyers> customers order <each> Kettle(s) each at the same moment when <stock> are left
    Given the catalogue has
      | product | price | stock   |
      | Kettle  | 25.00 | <stock> |
    And <buyers> customers are signed in and ready to buy
    When each of them orders <each> Kettles at the same moment
    Then at least half of their orders were under way at the same instant
    And exactly <accepted> of their orders are accepted
    And every other order is refused because there is not enough stock of Kettle
    And the stock of Kettle is <left>
    And the Kettles in stored orders and the Kettles left add up to <stock>

    Examples:
      | buyers | each | stock | accepted | left |
      | 25     | 1    | 3     | 3        | 0    |
      | 20     | 2    | 5     | 2        | 1    |

  Scenario: Orders over the same products, listed in opposite orders, all go through without a deadlock
    Given the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |    50 |
      | Toaster | 39.99 |    50 |
      | Mug     | 10.00 |    50 |
    And 10 customers are signed in and ready to buy
    When each of them orders at the same moment, every second one listing the products the other way round
      | product | quantity |
      | Kettle  |        1 |
      | Toaster |        2 |
      | Mug     |        3 |
    Then at least half of their orders were under way at the same instant
    And exactly 10 of their orders are accepted
    And the stock is now
      | product | stock |
      | Kettle  |    40 |
      | Toaster |    30 |
      | Mug     |    20 |

  Scenario: One order cancelled many times at the same moment gives its stock back once
    Given Alice is a customer
    And the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |    10 |
    And Alice has ordered 3 Kettles
    When Alice cancels that order 20 times at the same moment
    Then exactly 1 of the cancellations is accepted
    And the others are refused because the order is already cancelled
    And the stock of Kettle is 10
