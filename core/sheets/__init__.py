"""Spreadsheets coming in: .xlsx uploads checked and read by header (xlsx) over a fast streaming
reader of the sheet XML (xlsx_stream). Exports going out are audit.exports."""
