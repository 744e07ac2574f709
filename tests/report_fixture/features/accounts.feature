Feature: Accounts
  People sign up with their email address.

  Scenario: A visitor signs up
    When a visitor signs up with
      | name  | password         |
      | Grace | grace-secret-pw1 |
    Then Grace has an account

  @minor
  Scenario: A visitor signs in
    When Grace signs in
    Then Grace has an account
