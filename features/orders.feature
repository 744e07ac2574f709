Feature: Orders
  A customer orders products from the catalogue. An order takes its stock in one go or not at all,
  its total is worked out from the prices when it is placed, and it waits as pending until it ships
  or is cancelled. Customers see only their own orders.

  Background:
    Given Alice is a customer
    And the catalogue has
      | product | price | stock |
      | Mug     | 10.00 |    10 |
      | Kettle  | 25.00 |     5 |

  Scenario: An order takes its stock and totals the current prices
    When Alice orders
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |
    Then Alice's order is accepted as pending
    And Alice's order totals 45.00
    And Alice's order is stored with these lines
      | product | quantity | price |
      | Mug     |        2 | 10.00 |
      | Kettle  |        1 | 25.00 |
    And the stock is now
      | product | stock |
      | Mug     |     8 |
      | Kettle  |     4 |

  Scenario: An order for more than there is in stock is refused and nothing changes
    Given Alice has ordered
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |
    When Alice orders 100 Mugs
    Then the order is refused because there is not enough stock of Mug
    And the stock of Mug is 8
    And Alice has 1 order stored

  Scenario: When one line of an order cannot be met, no line takes any stock
    When Alice orders
      | product | quantity |
      | Kettle  |        2 |
      | Mug     |       11 |
    Then the order is refused because there is not enough stock of Mug
    And the stock is still as it was
    And Alice has no orders stored

  Scenario Outline: An order that makes no sense is refused, saying why: <order>
    When Alice orders <order>
    Then the order is refused as invalid, the shop saying "<problem>"
    And the stock is still as it was
    And Alice has no orders stored

    Examples:
      | order                                   | problem                                                             |
      | nothing                                 | An order needs at least one item                                    |
      | 0 Mugs                                  | Quantity must be a whole number from 1 to 10000                     |
      | -2 Mugs                                 | Quantity must be a whole number from 1 to 10000                     |
      | 1 Toaster, which the shop does not sell | There is no product Toaster                                         |
      | 3 Mugs on two separate lines            | Mug is ordered more than once; order it once with the whole quantity |

  Scenario: A price change does not touch an order already placed
    Given Ada is an administrator
    And Bob is a customer
    And Alice has ordered 2 Mugs
    When Ada changes the price of Mug to 12.50
    And Bob orders 2 Mugs
    Then Bob's order totals 25.00
    And Alice's order still totals 20.00

  Scenario: Cancelling a pending order gives its stock back
    Given Alice has ordered
      | product | quantity |
      | Mug     |        4 |
      | Kettle  |        2 |
    When Alice cancels her order
    Then Alice's order is cancelled
    And the stock is now
      | product | stock |
      | Mug     |    10 |
      | Kettle  |     5 |

  Scenario: A cancelled order cannot be cancelled again, and its stock comes back only once
    Given Alice has ordered 4 Mugs
    And that order has been cancelled
    When Alice cancels her order
    Then the cancellation is refused because the order is already cancelled
    And the stock of Mug is 10

  Scenario: A shipped order cannot be cancelled
    Given Alice has ordered 4 Mugs
    And that order has been shipped
    When Alice cancels her order
    Then the cancellation is refused because the order has already shipped
    And Alice's order is still shipped
    And the stock of Mug is 6

  Scenario: A customer cannot read or cancel another customer's order
    Given Bob is a customer
    And Alice has ordered 1 Kettle
    When Bob looks at Alice's order
    Then he is told the order was not found
    When Bob cancels Alice's order
    Then he is told the order was not found
    And Alice's order is still pending
    And the stock of Kettle is 4

  Scenario: An administrator reads any customer's order
    Given Ada is an administrator
    And Alice has ordered 1 Kettle
    When Ada looks at Alice's order
    Then she sees Alice's order for 1 Kettle, totalling 25.00

  Scenario: A customer lists her own orders, newest first, and nobody else's
    Given Bob is a customer
    And Alice has ordered 1 Mug
    And Bob has ordered 1 Kettle
    And Alice has ordered 2 Kettles
    When Alice lists her orders
    Then Alice sees her 2 orders, newest first

  Scenario Outline: An order that fails part-way announces nothing and takes no stock: the database refuses <what>
    Given the database will refuse <what>
    When Alice orders
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |
    Then the order fails without being placed
    And the stock is still as it was
    And Alice has no orders stored
    And no order has been announced as placed

    Examples:
      | what                                      |
      | the lines of the next order               |
      | the announcement that an order was placed |

  Scenario Outline: A cancellation that fails part-way announces nothing and returns no stock: the database refuses <what>
    Given Alice has ordered 4 Mugs
    And the database will refuse <what>
    When Alice cancels her order
    Then the cancellation fails without cancelling the order
    And Alice's order is still pending
    And the stock of Mug is 6
    And no order has been announced as cancelled

    Examples:
      | what                                         |
      | to mark an order cancelled                   |
      | the announcement that an order was cancelled |

  Scenario Outline: A customer's orders are counted in pages right at the edges: page <page>, <size> per page
    Given Bob is a customer
    And Alice has placed 6 orders
    And Bob has placed 2 orders
    When Alice asks for page <page> of her orders, <size> per page
    Then she is shown <count> orders, the right ones newest first, on page <page> of <pages>

    Examples:
      | page | size | count | pages |
      | 2    | 3    | 3     | 2     |
      | 2    | 4    | 2     | 2     |
      | 1    | 6    | 6     | 1     |
      | 3    | 3    | 0     | 2     |

  @api-contract
  Scenario: Placing an order answers with the stored order, its lines and its total as exact amounts
    When Alice orders
      | product | quantity |
      | Mug     |        2 |
      | Kettle  |        1 |
    Then the response status is 201
    And the response matches
      """
      {
        "id": "#uuid",
        "customerId": "#uuid",
        "status": "pending",
        "total": "45.00",
        "lines": [
          {"sku": "#string", "name": "Mug", "quantity": 2, "unitPrice": "10.00", "lineTotal": "20.00"},
          {"sku": "#string", "name": "Kettle", "quantity": 1, "unitPrice": "25.00", "lineTotal": "25.00"}
        ],
        "createdAt": "#datetime"
      }
      """
    And the stored order has the id the response gave
