Feature: The shop's health, and its answers while a dependency is away
  Operators and load balancers ask whether the shop is alive (its process answers) and ready (it can
  serve). Without its database it is unready and asks callers to come back shortly; without its cache
  or its broker it is degraded but still serves. It never says why a dependency is away: that goes to
  its log, not to whoever asks.

  Background:
    Given Alice is a customer
    And Alice has signed in

  Scenario: With every dependency answering the shop is ready
    When the operator asks whether the shop is ready
    Then the shop says it is ready, with its database, cache and broker available

  @not.with_shop=url
  Scenario: Without its cache the shop is degraded but ready, and says no more than that
    Given the shop cannot reach its cache
    When the operator asks whether the shop is ready
    Then the shop says it is degraded, with its cache unavailable
    And the answer names no address, port or error message

  @not.with_shop=url
  Scenario: Without its broker the shop is degraded but ready, and ready again once it is back
    Given the shop has lost its connection to the broker
    When the operator asks whether the shop is ready
    Then the shop says it is degraded, with its broker unavailable
    When the shop's connection to the broker comes back
    And the operator asks whether the shop is ready
    Then the shop says it is ready, with its database, cache and broker available

  Scenario: Without its database the shop is unready, asks callers to come back, and recovers
    Given the shop cannot reach its database
    When the operator asks whether the shop is ready
    Then the shop says it is unready, with its database unavailable
    And it asks to be asked again in 5 seconds
    And the answer names no address, port or error message
    And the shop says it is alive
    When Alice lists her orders
    Then she is told the shop is briefly unavailable and to try again in 5 seconds
    When the shop can reach its database again
    And Alice lists her orders
    Then Alice sees her 0 orders, newest first
