from django.utils import translation

from civicbridge.core import script


def site(request):
    return {"reader_script": script.script_of_language(translation.get_language())}
