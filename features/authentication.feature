Feature: Signing in
  People sign in with their email and password and get a pass that proves who they are for an hour.
  The shop never tells a stranger whether an email address has an account.

  Background:
    Given Alice is a customer

  Scenario: A customer signs in with the right password
    When Alice signs in with her password
    Then Alice is signed in as a customer for 1 hour
    And the shop records when Alice last signed in

  Scenario: An administrator's pass says so
    Given Ada is an administrator
    When Ada signs in with her password
    Then Ada is signed in as an administrator for 1 hour

  Scenario: The email address is not case sensitive
    When Alice signs in with her email in capitals
    Then Alice is signed in as a customer for 1 hour

  Scenario: A wrong password and an unknown email get the same refusal
    When Alice signs in with the password "not-her-password-1"
    Then the sign-in is refused with "Invalid email or password"
    And the shop has not recorded a sign-in for Alice
    When someone signs in as "nobody.at.all@example.net"
    Then the sign-in is refused with "Invalid email or password"

  Scenario: Repeated wrong passwords lock sign-in for a while
    When Alice signs in with a wrong password 5 times
    Then the shop counts 5 failed sign-ins for Alice's email
    When Alice signs in with her password
    Then Alice is told to try again later
    And the failed sign-ins for Alice's email are forgotten within 15 minutes

  Scenario: A successful sign-in clears earlier failures
    When Alice signs in with a wrong password 2 times
    And Alice signs in with her password
    Then Alice is signed in as a customer for 1 hour
    And the shop counts no failed sign-ins for Alice's email

  Scenario Outline: A pass that is <kind> is refused
    Given Ada is an administrator
    And Alice holds a pass that is <kind>
    When Alice lists the users
    Then she is asked to sign in again

    Examples:
      | kind                                         |
      | missing                                      |
      | malformed                                    |
      | expired                                      |
      | altered to claim the administrator role      |
      | signed by someone other than the shop        |
