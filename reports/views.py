"""Pages of the reports app: the step-7 statements (Berita Acara, Pernyataan Persetujuan
Publikasi) and the executive brief."""
