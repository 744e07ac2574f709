Feature: The catalogue
  Anyone signed in browses the catalogue by name. Administrators add products and change their
  price and stock. Listings are kept in a cache for a few minutes, but a change is visible the
  moment it has been made, and the catalogue answers correctly even when the cache is unreachable.

  Background:
    Given Ada is an administrator
    And Alice is a customer
    And the catalogue has
      | product         | price | stock |
      | Kettle          | 25.00 |     5 |
      | Electric Kettle | 49.90 |     2 |
      | Mug             | 10.00 |    10 |
      | Teapot          | 18.50 |     0 |

  Scenario: A customer finds products by part of their name, whatever the case
    When Alice searches the catalogue for "KETTLE"
    Then she sees these products
      | product         | price | stock |
      | Electric Kettle | 49.90 |     2 |
      | Kettle          | 25.00 |     5 |

  Scenario: A customer pages through the catalogue in order of name
    When Alice browses the catalogue, 3 per page, page 2
    Then she sees these products
      | product | price | stock |
      | Teapot  | 18.50 |     0 |
    And she is on page 2 of 2, out of 4 products in total

  Scenario Outline: The catalogue counts its pages right at the edges: page <page>, <size> per page
    When Alice asks for page <page> of the catalogue, <size> per page
    Then she is shown <count> products, the right ones in order of name, on page <page> of <pages>

    Examples:
      | page | size | count | pages |
      | 2    | 2    | 2     | 2     |
      | 1    | 4    | 4     | 1     |
      | 1    | 5    | 4     | 1     |
      | 4    | 1    | 1     | 4     |
      | 3    | 2    | 0     | 2     |

  Scenario: A second look at the same listing is served from the cache, without asking the database
    Given Alice has browsed the catalogue
    When Alice browses the catalogue
    Then the listing was served from the cache, without asking the database
    And the cache keeps the listing Alice saw for at most 5 minutes

  Scenario: A new price is visible the moment it has been changed
    Given Alice has browsed the catalogue
    When Ada changes the price of Kettle to 27.50
    And Alice browses the catalogue
    Then she sees Kettle at 27.50
    And the cache keeps the listing Alice saw for at most 5 minutes

  Scenario: A sale is visible in the catalogue's stock at once
    Given Bob is a customer
    And Alice has browsed the catalogue
    When Bob orders 2 Kettles
    And Alice browses the catalogue
    Then she sees Kettle with 3 in stock

  Scenario: An administrator adds a product and customers see it at once
    Given Alice has browsed the catalogue
    When Ada adds Toaster at 39.99 with 7 in stock
    And Alice browses the catalogue
    Then she sees Toaster at 39.99 with 7 in stock
    And Toaster is stored at 39.99 with 7 in stock

  Scenario: Customers cannot change prices
    When Alice changes the price of Kettle to 1.00
    Then she is refused because it needs an administrator
    And the price of Kettle is still 25.00

  @not.with_shop=url
  Scenario: With the cache unreachable the catalogue still answers, and a change made meanwhile is not lost
    Given Alice has browsed the catalogue
    And the shop cannot reach its cache
    When Ada changes the price of Kettle to 27.50
    And Alice browses the catalogue
    Then she sees Kettle at 27.50
    And the listing was served from the database, without the cache
    When the shop can reach its cache again
    And Alice browses the catalogue
    Then she sees Kettle at 27.50
    And the cache keeps the listing Alice saw for at most 5 minutes

  @api-contract
  Scenario: A product's price is an exact amount, in and out, and a fractional number is refused
    When Ada adds a product with the price "19.9"
    Then the response status is 201
    And the response matches
      """
      {"id": "#uuid", "sku": "#regex [A-Z0-9-]+", "name": "#string", "price": "19.90", "stock": "#number"}
      """
    When Ada adds a product with the price 19.9 as a JSON number
    Then the response status is 400
    And the response matches
      """
      {"error": "The product could not be created", "errors": {"price": "Price must be an amount such as \"25.00\""}}
      """

  Scenario Outline: Every kind of listing shows a change the moment it is made: <change>, seen in <listing>
    Given Bob is a customer
    And Bob has ordered 2 Mugs
    And Alice has looked at <listing>
    When <change>
    And Alice looks at <listing> again
    Then she sees Mug at <price> with <stock> in stock

    Examples:
      | listing                | change                                | price | stock |
      | a search for "mug"     | Ada changes the price of Mug to 12.50 | 12.50 | 8     |
      | page 2, 2 per page     | Ada changes the price of Mug to 12.50 | 12.50 | 8     |
      | a search for "mug"     | Ada changes the stock of Mug to 3     | 10.00 | 3     |
      | page 2, 2 per page     | Ada changes the stock of Mug to 3     | 10.00 | 3     |
      | a search for "mug"     | Bob orders 3 Mugs                     | 10.00 | 5     |
      | page 2, 2 per page     | Bob orders 3 Mugs                     | 10.00 | 5     |
      | a search for "mug"     | Bob cancels his order                 | 10.00 | 10    |
      | page 2, 2 per page     | Bob cancels his order                 | 10.00 | 10    |
      | the whole catalogue    | Ada changes the stock of Mug to 3     | 10.00 | 3     |
      | the whole catalogue    | Bob cancels his order                 | 10.00 | 10    |
