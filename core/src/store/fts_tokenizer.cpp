#include "store/fts_tokenizer.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace cunwu::store {
namespace {

struct CodePoint {
  std::uint32_t cp = 0;
  int len = 1;
};

// Decodes one code point; invalid bytes decode as themselves (length 1) and act as separators.
CodePoint decode(const unsigned char* p, int n) {
  const unsigned c = p[0];
  int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || len > n) return {0xFFFD, 1};
  std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  return {cp, len};
}

bool is_ascii_word(std::uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

// Punctuation and spaces outside ASCII: Latin-1 symbols, general punctuation, CJK symbols and
// punctuation (、。《》「」【】 and U+3000), full-width punctuation, the replacement character.
bool is_separator(std::uint32_t cp) {
  return cp < 0x80 ? !is_ascii_word(cp)
                   : (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
                         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
                         (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
                         (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD;
}

// Calls `emit(token, start, end)` for every token of `text`; stops when emit returns non-zero.
template <class Emit>
int tokenize(const char* text, int n, Emit emit) {
  const auto* p = reinterpret_cast<const unsigned char*>(text);
  std::string word;
  int word_start = -1;
  int i = 0;
  auto flush = [&](int end) {
    if (word_start < 0) return 0;
    const int rc = emit(word, word_start, end);
    word.clear();
    word_start = -1;
    return rc;
  };
  while (i < n) {
    const CodePoint c = decode(p + i, n - i);
    if (c.cp < 0x80 && is_ascii_word(c.cp)) {
      if (word_start < 0) word_start = i;
      word += char(c.cp >= 'A' && c.cp <= 'Z' ? c.cp + 32 : c.cp);
    } else {
      if (const int rc = flush(i); rc != 0) return rc;
      if (!is_separator(c.cp)) {
        if (const int rc = emit(std::string(text + i, std::size_t(c.len)), i, i + c.len); rc != 0) return rc;
      }
    }
    i += c.len;
  }
  return flush(n);
}

// The tokenizer has no per-table state: one static instance serves every table.
struct Unigram {
  int unused = 0;
};
Unigram g_unigram;

int unigram_create(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(&g_unigram);
  return SQLITE_OK;
}

void unigram_delete(Fts5Tokenizer*) {}

int unigram_tokenize(Fts5Tokenizer*, void* ctx, int, const char* text, int n,
                     int (*token)(void*, int, const char*, int, int, int)) {
  return tokenize(text, n, [&](const std::string& t, int start, int end) {
    return token(ctx, 0, t.data(), int(t.size()), start, end);
  });
}

// cunwu_hits(): a cheap rank for the unigram index, whose one- and two-character queries match
// thousands of long texts: -(10 × matches in the title + matches in the body, at most 5). Unlike
// bm25 it needs no document lengths (a lookup per row), so ranking many rows stays fast.
void hits_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int, sqlite3_value**) {
  int n = 0;
  if (api->xInstCount(fts, &n) != SQLITE_OK) {
    sqlite3_result_error(ctx, "cunwu_hits", -1);
    return;
  }
  int title = 0, body = 0;
  for (int i = 0; i < n; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK) continue;
    (column == 0 ? title : body) += 1;
  }
  sqlite3_result_double(ctx, -(10.0 * title + double(body < 5 ? body : 5)));
}

fts5_api* fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
  return api;
}

}  // namespace

Status register_fts_tokenizers(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  if (!api) return make_error(Errc::storage_error, "FTS5 is not available");
  static fts5_tokenizer unigram{unigram_create, unigram_delete, unigram_tokenize};
  if (api->xCreateTokenizer(api, "cunwu_unigram", nullptr, &unigram, nullptr) != SQLITE_OK) {
    return make_error(Errc::storage_error, "cannot register the cunwu_unigram tokenizer");
  }
  if (api->xCreateFunction(api, "cunwu_hits", nullptr, hits_rank, nullptr) != SQLITE_OK) {
    return make_error(Errc::storage_error, "cannot register cunwu_hits");
  }
  return ok_status();
}

bool has_unigram_tokens(std::string_view text) {
  bool any = false;
  tokenize(text.data(), int(text.size()), [&](const std::string&, int, int) {
    any = true;
    return 1;
  });
  return any;
}

}  // namespace cunwu::store
