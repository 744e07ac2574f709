"""The throwaway suite needs no servers and keeps no world; its outcomes count as the real suite's do."""
import sys

from support.reports import outcomes, readable_errors

readable_errors.install()


def before_all(context):
    context.outcomes = outcomes.RunLedger()


def before_feature(context, feature):
    outcomes.prepare(feature, int(context.config.userdata.get("retries", "0")), context.outcomes)


def after_all(context):
    print(context.outcomes.summary(), file=sys.__stderr__)
