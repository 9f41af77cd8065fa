"""The centre now (directive 7(a)): today's figures as the supervisor's console and `callcenter live` show them."""
