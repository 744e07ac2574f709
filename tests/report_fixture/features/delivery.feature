@epic:Buying
Feature: Delivery
  Orders reach their customers.

  Scenario: The courier confirms on the second try
    Given the courier answers only on the second try
    Then the delivery is confirmed

  @quarantine @issue:12 @until:2099-12-31
  Scenario: A parcel is tracked
    Given the courier answers only on the second try
    Then the parcel has a tracking number

  @expired
  @quarantine @issue:13 @until:2020-01-31
  Scenario: A parcel is left with a neighbour
    Then the delivery is confirmed
