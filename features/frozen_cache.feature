Feature: A cache that stops answering costs the shop nothing per request
  When Redis hangs (its connections open, no answers), the shop notices on the first request that waits
  for it, leaves it alone for a while, and serves sign-ins and the catalogue without it; once Redis
  answers again, the shop goes back to using it.

  Background:
    Given Alice is a customer
    And the catalogue has
      | product | price | stock |
      | Mug     | 10.00 |    10 |
      | Kettle  | 25.00 |     5 |

  @not.with_shop=url
  Scenario: With the cache frozen, sign-ins and the catalogue go on without waiting for it
    Given Alice has browsed the catalogue
    And the shop's cache stops answering, keeping its connections open
    When Alice signs in and browses the catalogue 5 times
    Then each sign-in and each listing was answered
    And the shop waited for its frozen cache at most 2 times
    When the cache answers again
    Then the listings Alice browses are kept in the cache again within 10 seconds
