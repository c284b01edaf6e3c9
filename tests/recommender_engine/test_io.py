import gzip

import pytest

from recommender.engine.io import DataFormatError, read_interactions, read_ratings


def test_csv_with_header_in_any_column_order_keeps_ids_as_opaque_strings(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("rating,item,user,timestamp\n5,course-A,007,1700000000\n2,course-B,007,1700000001\n"
                 "4,course-B,x y,2024-01-01T00:00:00Z\n")
    rows = read_ratings(p, "csv")
    assert rows.users == ["007", "007", "x y"] and rows.items[0] == "course-A"
    assert rows.timestamps[2] == pytest.approx(1704067200.0)
    kept = read_interactions(p, "csv", positive_threshold=4)
    assert len(kept) == 2 and kept.user_ids == ["007", "x y"]


def test_csv_without_timestamp_or_rating_treats_every_row_as_positive(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("user,item\nu1,i1\nu1,i2\nu2,i1\n")
    data = read_interactions(p, "csv", positive_threshold=4)
    assert len(data) == 3 and data.n_users == 2 and data.n_items == 2


def test_movielens_double_colon_gzip_and_threshold(tmp_path):
    p = tmp_path / "ratings.dat.gz"
    with gzip.open(p, "wt") as fh:
        fh.write("1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n")
    rows = read_ratings(p, "movielens", positive_threshold=4)
    assert rows.users == ["1", "2"] and rows.items == ["1193", "1193"]
    assert rows.timestamps.tolist() == [978300760.0, 978298413.0]


def test_movielens_100k_tab_format(tmp_path):
    p = tmp_path / "u.data"
    p.write_text("196\t242\t3\t881250949\n186\t302\t5\t891717742\n")
    rows = read_ratings(p, "movielens", positive_threshold=4)
    assert rows.users == ["186"] and rows.ratings.tolist() == [5.0]


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        ("", "csv", "empty file"),
        ("a,b\n1,2\n", "csv", "header must name 'user' and 'item'"),
        ("user,item,rating\nu,i,five\n", "csv", "bad rating"),
        ("user,item,timestamp\nu,i,yesterday\n", "csv", "bad timestamp"),
        ("hello world\n", "movielens", "not MovieLens format"),
        ("1::2\n", "movielens", "expected user::item::rating"),
        ("1::2::3::4\n", "movielens", "no usable rows"),  # rating 3 < threshold 4
    ],
)
def test_bad_files_raise_a_clear_data_format_error(tmp_path, content, fmt, message):
    p = tmp_path / "bad.txt"
    p.write_text(content)
    with pytest.raises(DataFormatError, match=message):
        read_ratings(p, fmt, positive_threshold=4)


def test_missing_file_and_unknown_format_are_reported(tmp_path):
    with pytest.raises(DataFormatError, match="no such file"):
        read_ratings(tmp_path / "nope.csv", "csv")
    with pytest.raises(DataFormatError, match="unknown format"):
        read_ratings(tmp_path / "nope.csv", "parquet")


def test_corrupt_gzip_is_reported_not_raised_raw(tmp_path):
    p = tmp_path / "r.csv.gz"
    p.write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(DataFormatError, match="cannot read"):
        read_ratings(p, "csv")
