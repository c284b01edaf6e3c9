"""The embedded broker never lets a consumer take a message file before it is written whole: kombu's own
filesystem transport created the file empty and then wrote it, and a worker polling the folder in between failed
to decode it and stopped ("Unrecoverable error: JSONDecodeError"), taking every process of ``make run`` down."""

import threading
from queue import Empty

from kombu import Connection

from workers.broker import Transport

MESSAGES = 400
BODY = ["x" * 50] * 4000  # slow enough to encode that a file written in place is seen empty


def _connection(folder) -> Connection:
    return Connection(transport=Transport, transport_options={
        "data_folder_in": str(folder), "data_folder_out": str(folder), "store_processed": False})


def test_a_consumer_polling_the_folder_gets_every_message_whole_while_they_are_written(tmp_path):
    def produce():
        with _connection(tmp_path) as conn:
            channel = conn.default_channel
            for i in range(MESSAGES):
                channel._put("q", {"i": i, "body": BODY})

    producer = threading.Thread(target=produce)
    producer.start()
    received, failures = [], []
    with _connection(tmp_path) as conn:
        channel = conn.default_channel
        while len(received) < MESSAGES:
            try:
                message = channel._get("q")  # polled as fast as it goes, as a busy worker does
            except Empty:
                if not producer.is_alive() and not any(tmp_path.iterdir()):
                    break
                continue
            except Exception as exc:  # a half-written file: a decode error
                failures.append(repr(exc))
                break
            received.append(message["i"])
            assert message["body"] == BODY
    producer.join(timeout=60)
    assert failures == []
    assert sorted(received) == list(range(MESSAGES))
