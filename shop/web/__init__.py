"""The shop's HTTP entry points: parse the request, call one service function, shape the answer."""
