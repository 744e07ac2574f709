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
