"""Reading a news report into typed facts (``../shared/reports/FACTS.md``): rules and patterns
over the text, places and people resolved against the national directory and the li-chief
register. Runs offline; nothing is downloaded.

``read_report(text, published=...)`` returns the facts document; ``load_report(path)`` reads a
.txt, .html or .docx file into text first."""
