Feature: The shop holds up against abuse
  Nobody can lock a customer out by guessing her password, someone trying many accounts is stopped, and
  the limits hold even when the cache is unreachable. A pass stops working the moment its holder is
  deleted, and an administrator who is demoted loses the rights at once. Catalogue searches cannot fill
  the cache, and one GraphQL request cannot do the work of hundreds.

  Background:
    Given Alice is a customer
    And Mallory is a customer

  Scenario: Someone guessing Alice's password cannot lock her out
    When Mallory tries to sign in as Alice with a wrong password 6 times
    Then Mallory is told to try again later
    When Mallory tries to sign in as Alice with Alice's password
    Then Mallory is told to try again later
    When Alice signs in with her password
    Then Alice is signed in as a customer for 1 hour

  Scenario: Someone trying many accounts from one address is stopped
    When Mallory tries to sign in with a wrong password as 20 different people
    Then the shop counts 20 failed sign-ins from Mallory's address
    When Mallory signs in with her password
    Then Mallory is told to try again later
    When Alice signs in with her password
    Then Alice is signed in as a customer for 1 hour

  @not.with_shop=url
  Scenario: With the cache unreachable, wrong passwords are still limited
    Given the shop cannot reach its cache
    When Mallory tries to sign in as Alice with a wrong password 6 times
    Then Mallory is told to try again later
    When Alice signs in with her password
    Then Alice is signed in as a customer for 1 hour

  Scenario: Searching for many different words, or paging far, does not fill the cache
    Given the catalogue has
      | product | price | stock |
      | Mug     | 10.00 |    10 |
      | Kettle  | 25.00 |     5 |
    When Alice searches the catalogue for 30 different words
    And Alice browses pages 1 to 30 of the catalogue, 1 per page
    Then every one of her listings was answered
    And the cache keeps at most 5 catalogue listings

  Scenario: An administrator who is demoted loses the rights at once, with the pass she already holds
    Given Ada is an administrator
    And Ada has signed in
    When Ada is no longer an administrator
    And Ada lists the users
    Then she is refused because it needs an administrator

  Scenario: A deleted customer's pass stops working at once
    Given the catalogue has
      | product | price | stock |
      | Mug     | 10.00 |    10 |
    And Mallory has signed in
    When Mallory's account is deleted
    And Mallory browses the catalogue
    Then she is asked to sign in again
    When Mallory orders 1 Mug
    Then she is asked to sign in again
    And the stock of Mug is 10

  Scenario: A customer cannot ask the GraphQL API for its schema
    When Alice asks the GraphQL API to describe its schema
    Then the query is refused because "Only administrators may ask for the schema"

  Scenario: An administrator may ask for the schema, within the same size limits as any query
    Given Ada is an administrator
    When Ada asks the GraphQL API to describe its schema
    Then she sees the schema's types
    When Ada asks the GraphQL API to describe its schema 200 times in one request
    Then the query is refused because "The query selects 1000 fields; at most 250 are allowed"

  Scenario: Forty posts in one GraphQL request are refused as a whole, and no email is sent
    When Alice publishes 40 posts in one GraphQL request
    Then the query is refused because "The request makes 40 changes; at most 5 are allowed in one request"
    And no post is stored
    And Alice receives no email
