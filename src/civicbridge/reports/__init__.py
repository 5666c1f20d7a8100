"""Reports: the sources an exchange's record comes from (news reports), which records came
from which source, and facts documents (FACTS.md) turned into records."""
