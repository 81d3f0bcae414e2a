/*
 * award_input.c — the forms of `mcred award`, award ids and formats; see
 * award_input.h.
 */
#include <string.h>

#include "mcred/validate.h"

#include "award_input.h"

#include "mcred/banned.h"

enum cli_award_form cli_award_form(int argc, char **argv)
{
    if (argc < 2)
        return CLI_AWARD_GIVE;
    if (strcmp(argv[1], "list") == 0)
        return CLI_AWARD_LIST;
    if (strcmp(argv[1], "show") == 0)
        return CLI_AWARD_SHOW;
    return CLI_AWARD_GIVE;
}

bool cli_award_format_parse(const char *s, enum cli_award_format *out)
{
    if (!s || strcmp(s, "json") == 0) {
        *out = CLI_AWARD_JSON;
        return true;
    }
    if (strcmp(s, "jwt") == 0) {
        *out = CLI_AWARD_JWT;
        return true;
    }
    return false;
}

bool cli_award_id(const char *arg, char out[CLI_AWARD_ID_LEN + 1])
{
    char id[CLI_AWARD_ID_LEN + 1];
    size_t end, start;

    if (!arg)
        return false;
    /* A URL's query and fragment are no part of its path. */
    end = strcspn(arg, "?#");
    while (end > 0 && arg[end - 1] == '/')
        end--;
    start = end;
    while (start > 0 && arg[start - 1] != '/')
        start--;
    if (end - start != CLI_AWARD_ID_LEN)
        return false;
    for (size_t i = 0; i < CLI_AWARD_ID_LEN; i++) {
        char c = arg[start + i];
        id[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    id[CLI_AWARD_ID_LEN] = '\0';
    if (!mc_uuid_valid(id))
        return false;
    memcpy(out, id, sizeof id);
    return true;
}
