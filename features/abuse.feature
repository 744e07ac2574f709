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
