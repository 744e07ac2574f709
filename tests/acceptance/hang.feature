# Not part of the suite (it lives outside features/): tests/test_interrupted_runs.py runs it to prove that
# a step which stops making progress fails within step_timeout, with the shop's threads, and the run goes on.
Feature: A scenario that stops making progress

  Scenario: The shop never answers while a maintenance job holds the catalogue locked
    Given Alice is a customer
    And the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |     5 |
    And a maintenance job holds the catalogue locked
    When Alice browses the catalogue
    Then she sees Kettle at 25.00

  Scenario: The next scenario runs as usual
    Given Alice is a customer
    And the catalogue has
      | product | price | stock |
      | Kettle  | 25.00 |     5 |
    When Alice browses the catalogue
    Then she sees Kettle at 25.00
