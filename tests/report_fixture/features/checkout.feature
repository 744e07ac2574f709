@epic:Buying @critical
Feature: Checkout
  Customers pay for their orders and get their money back when they return them.

  @issue:11 @blocker
  Scenario: A refund returns the money
    Given Alice has paid for her order
    When Alice returns her order
    Then Alice gets 25.00 back

  @wip
  Scenario: Work in progress that the run leaves out
    Given Alice has paid for her order

  Rule: A paid order is shipped

    Scenario: A paid order is shipped the same day
      Given Alice has paid for her order
      Then her order is shipped
