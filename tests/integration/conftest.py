"""Integration tests: real boto3/PynamoDB calls against moto in-process."""

import pytest
from moto import mock_aws

from chalicelib.tables import all_models


def _reset_connections() -> None:
    # PynamoDB caches one botocore client per model; a new moto context needs a new client.
    for model in all_models():
        model._connection = None


@pytest.fixture
def aws():
    with mock_aws():
        _reset_connections()
        for model in all_models():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        yield
    _reset_connections()
