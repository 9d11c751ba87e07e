#pragma once
// The FTS5 tokenizer "cunwu_unigram": every CJK character is a token of its own, an ASCII word
// (letters and digits) is one token, lowercased; spaces and punctuation separate. It backs the
// index for one- and two-character Chinese queries, which the trigram tokenizer cannot match.
#include <string_view>

#include "cunwu/base/result.hpp"

struct sqlite3;

namespace cunwu::store {

/// Registers cunwu_unigram on a connection (before any table using it is opened).
/// Error storage_error.
Status register_fts_tokenizers(sqlite3* db);

/// Whether `text` holds at least one token of cunwu_unigram (so that a query can match).
bool has_unigram_tokens(std::string_view text);

}  // namespace cunwu::store
