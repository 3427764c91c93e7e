"""The files the city sends up: the quarter's workbook (XLSX), the evidence as CSV, the report
(DOCX) and the accepted photos (ZIP), each read from the one compliance picture."""
