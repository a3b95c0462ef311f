// Helpers for the multilingual, synonym, spelling, answer, suggest and eval tests: the knowledge
// base of tests/data/multilingual (29 short articles in en, es, fr, de, pt, pt-BR, ar, ja, zh
// and th, with synonyms/ and spelling/ files), indexed into a temporary directory.
//
//   id                     locale  journey  translation_of   says (what the tests rely on)
//   refund-request         en      billing  -                refund(s), request; Steps +
//   Troubleshooting money-back-guarantee   en      billing  -                "money back", never
//   "refund" card-declined          en      billing  -                card payment declined, bank
//   open-a-dispute         en      billing  -                dispute, never "chargeback"
//   bank-chargeback        en      billing  -                chargeback, never "dispute"
//   voucher                en      billing  -                voucher (title), never "coupon"
//   gift-cards             en      billing  -                coupon (body only), balance (unique)
//   sign-in-help           en      account  -                "log in", never "sign"
//   create-account         en      account  -                register(ation), example; never
//   "sign"/"log" track-order            en      orders   -                tracking number, parcel,
//   courier refund-request-es      es      billing  refund-request   devolución (never "reembolso")
//   card-declined-es       es      billing  card-declined    pago con tarjeta rechazado
//   change-password-es     es      account  -                contraseña
//   refund-request-fr      fr      billing  refund-request   remboursement, remboursé
//   reset-password-fr      fr      account  -                réinitialiser, mot de passe
//   refund-request-de      de      billing  refund-request   Rückerstattung
//   card-declined-de       de      billing  card-declined    Zahlung (never "Zahlungen")
//   refund-request-pt-br   pt-BR   billing  refund-request   devolução
//   change-password-pt-br  pt-BR   account  -                senha
//   card-declined-pt       pt      billing  card-declined    cartão recusado
//   refund-request-ar      ar      billing  refund-request   استرداد الأموال (no harakat)
//   change-password-ar     ar      account  -                تَغْيِير كَلِمَة المُرُور (harakat only)
//   refund-request-ja      ja      billing  refund-request   返金の申請方法, カード
//   add-card-ja            ja      billing  -                カード, ＰＩＮ (fullwidth)
//   guard-ja               ja      account  -                ガード (never カード)
//   refund-request-zh      zh      billing  refund-request   如何申请退款
//   change-password-zh     zh      account  -                如何修改密码
//   refund-request-th      th      billing  refund-request   วิธีขอคืนเงิน
//   change-password-th     th      account  -                วิธีเปลี่ยนรหัสผ่าน
//
// Synonyms (en): [refund, money back, reimbursement], [voucher, coupon], [log in, sign in],
// [sign up, register, registration], one way chargeback -> dispute. (es): [devolución,
// reembolso]. Spelling (en): lumenpay, escrow (in no article).
#pragma once

#include <memory>
#include <optional>

#include "helpmark/answer.hpp"
#include "test_util.hpp"

namespace hmtest {

inline const fs::path kMlData = kTestData / "multilingual";
inline const fs::path kMlArticles = kMlData / "articles";
inline const fs::path kMlTaxonomy = kMlData / "taxonomy";
inline const fs::path kEvalData = kTestData / "eval";

inline constexpr std::size_t kMlArticleCount = 29;

/// Prints every diagnostic when a check fails.
inline std::string describe(const std::vector<helpmark::Diagnostic>& all) {
  std::string out;
  for (const auto& d : all) out += d.to_string() + "\n";
  return out;
}

/// The multilingual knowledge base indexed into a temporary directory. With `copy`, the
/// articles and taxonomy are first copied into the temporary directory, so a test may change them.
class MlKb {
 public:
  explicit MlKb(bool copy = false) {
    if (copy) {
      copy_tree(kMlArticles, dir_ / "articles");
      copy_tree(kMlTaxonomy, dir_ / "taxonomy");
      articles_ = dir_ / "articles";
      taxonomy_ = dir_ / "taxonomy";
    }
    auto report = build();
    REQUIRE_MESSAGE(report.ok(), report.status().message());
    INFO(describe(report->diagnostics));
    REQUIRE(report->diagnostics.empty());
    REQUIRE(report->total == kMlArticleCount);
    reopen();
  }

  helpmark::IndexOptions options() const {
    helpmark::IndexOptions o;
    o.articles_dir = articles_;
    o.taxonomy_dir = taxonomy_;
    o.index_dir = index_dir();
    return o;
  }
  helpmark::Result<helpmark::IndexReport> build() const { return helpmark::build_index(options()); }
  void reopen() {
    auto index = helpmark::Index::open(index_dir());
    REQUIRE_MESSAGE(index.ok(), index.status().message());
    index_ = std::make_unique<helpmark::Index>(std::move(index).value());
  }

  fs::path index_dir() const { return dir_ / "index"; }
  fs::path articles_dir() const { return articles_; }
  fs::path taxonomy_dir() const { return taxonomy_; }
  const helpmark::Index& index() const { return *index_; }

  /// Searches `query` in `locale` with every layer on, or with `layers`.
  helpmark::SearchResponse search(const std::string& query, const std::string& locale,
                                  helpmark::SearchLayers layers = {}) const {
    helpmark::SearchRequest r;
    r.query = query;
    r.locale = locale;
    r.layers = layers;
    r.limit = 50;
    return search_ok(*index_, r);
  }

  helpmark::Answer answer(const std::string& question, const std::string& locale = "en",
                          helpmark::AnswerOptions options = {}) const {
    auto a = index_->answer(question, locale, options);
    REQUIRE_MESSAGE(a.ok(), a.status().message());
    return a.value();
  }

 private:
  TempDir dir_;
  fs::path articles_ = kMlArticles;
  fs::path taxonomy_ = kMlTaxonomy;
  std::unique_ptr<helpmark::Index> index_;
};

/// 1-based rank of `id` among the hits, or 0 when it is not there.
inline std::size_t rank_of(const helpmark::SearchResponse& response, const std::string& id) {
  for (std::size_t i = 0; i < response.hits.size(); ++i)
    if (response.hits[i].id == id) return i + 1;
  return 0;
}

/// The hit with `id`, or nullptr.
inline const helpmark::Hit* hit_of(const helpmark::SearchResponse& response,
                                   const std::string& id) {
  for (const auto& h : response.hits)
    if (h.id == id) return &h;
  return nullptr;
}

/// The expansions of the synonym use whose phrase is `phrase`, or nothing when none was applied.
inline std::optional<std::vector<std::string>> synonym_expansions(
    const std::vector<helpmark::SynonymUse>& uses, const std::string& phrase) {
  for (const auto& u : uses)
    if (u.phrase == phrase) return u.expansions;
  return std::nullopt;
}

/// True when some correction changes `from` (into anything, or into `to` when given).
inline bool corrected(const std::vector<helpmark::Correction>& corrections, const std::string& from,
                      const std::string& to = "") {
  for (const auto& c : corrections)
    if (c.from == from && (to.empty() || c.to == to)) return true;
  return false;
}

/// The diagnostics whose path ends with `file_suffix`, as "line: message" strings for messages.
inline std::vector<helpmark::Diagnostic> diagnostics_for(
    const std::vector<helpmark::Diagnostic>& all, const std::string& file_suffix) {
  std::vector<helpmark::Diagnostic> out;
  for (const auto& d : all)
    if (d.path.size() >= file_suffix.size() &&
        d.path.compare(d.path.size() - file_suffix.size(), file_suffix.size(), file_suffix) == 0)
      out.push_back(d);
  return out;
}

/// The first diagnostic whose message contains `needle`, or nullptr.
inline const helpmark::Diagnostic* find_diagnostic(const std::vector<helpmark::Diagnostic>& all,
                                                   std::string_view needle) {
  for (const auto& d : all)
    if (contains(d.message, needle)) return &d;
  return nullptr;
}

}  // namespace hmtest
