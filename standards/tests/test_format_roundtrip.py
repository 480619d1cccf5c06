from standards.formats import StandardFormatError, parse_standard, read_csv_text, write_standard
from standards.tests.helpers import DATA, warehousing_parsed


def test_export_reproduces_the_bundled_files_byte_for_byte():
    elements_csv, items_csv = write_standard(warehousing_parsed())
    assert elements_csv == (DATA / "elements.csv").read_text(encoding="utf-8")
    assert items_csv == (DATA / "items.csv").read_text(encoding="utf-8")


def test_import_export_import_is_lossless():
    first = warehousing_parsed()
    again = parse_standard(*(read_csv_text(t) for t in write_standard(first)))
    assert again.elements == first.elements
    assert [(i.code, i.requirement, i.points, i.method) for i in again.items] == [
        (i.code, i.requirement, i.points, i.method) for i in first.items
    ]


def test_subtotal_mismatch_is_refused_with_row_and_column():
    elements = read_csv_text((DATA / "elements.csv").read_text(encoding="utf-8"))
    items = read_csv_text((DATA / "items.csv").read_text(encoding="utf-8"))
    items[0]["points"] = "3"  # element 1 now adds up to 11, not 10
    try:
        parse_standard(elements, items)
    except StandardFormatError as exc:
        [error] = exc.errors
        assert (error.file, error.row, error.column) == ("elements", 2, "points")
    else:
        raise AssertionError("a subtotal mismatch must be refused")


def test_bad_cells_are_each_reported():
    elements = read_csv_text((DATA / "elements.csv").read_text(encoding="utf-8"))
    items = read_csv_text((DATA / "items.csv").read_text(encoding="utf-8"))
    items[4]["points"] = "abc"
    items[7]["subelement_no"] = "9.1"  # row of element 2
    try:
        parse_standard(elements, items)
    except StandardFormatError as exc:
        assert {(e.row, e.column) for e in exc.errors} == {(6, "points"), (9, "subelement_no")}
    else:
        raise AssertionError("bad cells must be refused")
