#pragma once
// What a post of each type holds: its fields, how each is checked when written, and the rules
// that must hold for the whole content before it is published (balanced accounts, a payment
// schedule that adds up to the price...). Typed views of finance records and contracts.
#include <string>
#include <string_view>
#include <vector>

#include "cunwu/disclosure/types.hpp"

namespace cunwu::disclosure {

/// Text limits in characters.
inline constexpr std::size_t kMaxTitleChars = 100;
inline constexpr std::size_t kMaxBodyChars = 20'000;
inline constexpr std::size_t kMaxShortChars = 200;
inline constexpr std::size_t kMaxLines = 500;

/// Fields of every type: title (text, required), body (text; required for policies),
/// attachments (array of sha256 hex strings). Per type, in addition:
/// - finance:    period ("2026Q2"), opening, closing (fen ≥ 0), income, spending (arrays of lines
///               {category, amount (fen > 0), counterparty, attachments, note})
/// - contract:   party, object, area (text), start, end ("YYYY-MM-DD"), price (fen > 0),
///               schedule (array of {date, amount}), summing to price
/// - assistance: program (e.g. "低保"), criteria (text), steps (array of text: the approval
///               steps), entries (array of {name, id_number, phone, household_size, amount, note})
/// - policy:     category (education, medical, housing, social_security, industry, employment,
///               agriculture, other), issuer, effective_from, effective_to (optional date)
/// - activity:   place, date;  job: employer, position, deadline (date)
/// The names of the fields a type allows.
const std::vector<std::string_view>& fields_of(PostType t);

/// Checks one field's value as it is written into a draft or an amendment and returns it
/// normalized (texts trimmed). Errors: invalid_input (unknown field, wrong shape), invalid_utf8,
/// text_empty, text_too_long, invalid_amount, invalid_date, invalid_period, invalid_attachment.
Result<Json> check_field(PostType t, std::string_view field, const Json& value);

/// Checks every field of `fields` (an object) with check_field; returns them normalized.
Result<Json> check_fields(PostType t, const Json& fields);

/// Checks that `content` may be published: required fields present, and the rules across
/// fields. Errors: invalid_input (a required field missing), unbalanced_finance (opening +
/// income − spending ≠ closing; the detail gives the four numbers), payment_schedule_mismatch,
/// invalid_date (a contract ending before it starts, a policy expiring before it takes effect).
Status check_publishable(PostType t, const Json& content);

/// 收支明细 — one income or spending line of a finance record.
struct Line {
  std::string category;       ///< e.g. "集体经济收入", "道路维修"
  Fen amount;
  std::string counterparty;   ///< who paid or was paid
  std::vector<std::string> attachments;  ///< sha256 of vouchers (凭证)
  std::string note;
};

/// 财务公开 — a finance record for one period.
struct FinanceRecord {
  std::string period;
  Fen opening, closing;
  std::vector<Line> income, spending;
  Fen total_income() const;
  Fen total_spending() const;
  /// opening + income − spending: what closing must equal.
  Fen expected_closing() const { return opening + total_income() - total_spending(); }
};

/// Reads a finance record from content. Errors: those of check_field, invalid_input.
Result<FinanceRecord> finance_of(const Json& content);
/// The record as content fields (without title and body).
Json to_fields(const FinanceRecord& f);

/// One instalment of a contract's payment schedule.
struct Payment {
  Date date;
  Fen amount;
};

/// 合同 — the terms of a contract post.
struct ContractTerms {
  std::string party;    ///< 承包方
  std::string object;   ///< e.g. "村集体茶园"
  std::string area;     ///< e.g. "86亩"
  Date start, end;
  Fen price;
  std::vector<Payment> schedule;
};

/// Reads contract terms from content. Errors: those of check_field, invalid_input.
Result<ContractTerms> contract_of(const Json& content);
/// The terms as content fields (without title and body).
Json to_fields(const ContractTerms& c);

}  // namespace cunwu::disclosure
