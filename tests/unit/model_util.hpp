// Helpers for the tests of the learned lexical model (issue 15): a knowledge base with enough
// `questions:` for the indexer to choose its ranking settings, a tiny Hunspell dictionary,
// environment guards, and direct access to the index metadata the model lives in.
#pragma once

#include <xapian.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "index/schema.hpp"
#include "unit/test_util.hpp"

namespace hmtest {

/// One article of a generated knowledge base.
struct ModelArticle {
  std::string path;  ///< Relative to articles/.
  std::string id;
  std::string title;
  std::string journey;
  std::string subtopic;
  std::string locale = "en";
  std::string summary;
  std::vector<std::string> questions;
  std::string body;
};

/// The article as a Markdown file. Questions start at file line 11 (one per line).
inline std::string model_article_md(const ModelArticle& a) {
  std::string fm = "id: " + a.id + "\ntitle: " + a.title + "\njourney: " + a.journey + "\nsubtopic: " + a.subtopic +
                   "\nlocale: " + a.locale + "\nsummary: " + a.summary + "\nstatus: published\n";
  // Line 1 is the fence, lines 2-8 the fields above, line 9 tags, line 10 "questions:".
  fm += "tags: []\n";
  if (!a.questions.empty()) {
    fm += "questions:\n";
    for (const auto& q : a.questions) fm += "  - \"" + q + "\"\n";
  }
  return md(fm, a.body + "\n");
}

/// Thirteen English articles with five questions each (65 questions: more than the 40 the
/// indexer needs to choose its settings). The stems of "deliver" ("delivering", "delivered")
/// appear nowhere: only "delivery" (another stem, "deliveri"), in delivery-times.
inline std::vector<ModelArticle> tuned_articles() {
  return {
      {"en/payments/refund-timing.md", "refund-timing", "How long a refund takes", "payments", "refund-timing", "en",
       "Refunds reach the card you paid with within ten business days.",
       {"when will i get my money back", "how many days until my refund arrives", "refund still not on my card",
        "why is my refund taking so long", "has my refund been issued yet"},
       "Refunds go back to the card or wallet you paid with. Card refunds appear within ten business days."},
      {"en/payments/card-declined.md", "card-declined", "Why a card is declined", "payments", "methods", "en",
       "A declined card usually means the bank refused the charge.",
       {"my card was declined", "payment failed at checkout", "why does my card keep getting rejected",
        "bank refused the charge", "cannot pay with my visa"},
       "Check the expiry date and the billing address, then try again or call your bank."},
      {"en/payments/digital-wallets.md", "digital-wallets", "Paying with a digital wallet", "payments", "methods", "en",
       "Apple Pay, Google Pay and PayPal are accepted at checkout.",
       {"can i pay with apple pay", "how do i use google pay", "set up a wallet for payments", "is paypal accepted",
        "pay using my phone"},
       "Choose the wallet at checkout and confirm on your phone."},
      {"en/payments/escrow.md", "escrow", "How escrow protects buyers", "payments", "methods", "en",
       "Your payment is held in escrow until you confirm the item.",
       {"what is escrow", "when is the seller paid after i buy", "is my money held until the item arrives",
        "how does buyer protection work", "who holds the payment"},
       "The seller is paid once you confirm that the item is as described."},
      {"en/returns/start-a-return.md", "start-a-return", "Start a return", "returns", "policy", "en",
       "Open the order and choose Return item.",
       {"how do i send an item back", "i want to return my order", "where do i begin a return",
        "return an item i bought", "open a return request"},
       "Open the order on the Orders page and choose Return item, then pick a reason."},
      {"en/returns/return-window.md", "return-window", "How many days you have to return", "returns", "policy", "en",
       "Most items can be returned within thirty days.",
       {"how long do i have to return something", "is it too late to return", "return deadline",
        "thirty day return window", "can i return after a month"},
       "The thirty days start on the day the parcel reaches you."},
      {"en/returns/print-label.md", "print-label", "Print a return label", "returns", "labels", "en",
       "The label is in the email we sent when the return was accepted.",
       {"where is my shipping label", "how do i print the label", "i have no printer for the label",
        "label did not come by email", "reprint a return label"},
       "Without a printer, show the QR code at the drop-off point instead."},
      {"en/returns/damaged-item.md", "damaged-item", "Item arrived damaged", "returns", "policy", "en",
       "Report damage within two days with a photo.",
       {"my package arrived broken", "item is damaged", "the box was crushed", "product does not work out of the box",
        "received a cracked screen"},
       "Take a photo of the damage and the packaging and attach it to the report."},
      {"en/returns/delivery-times.md", "delivery-times", "Delivery times for orders", "returns", "policy", "en",
       "Most orders arrive within five working days.",
       {"how long does delivery take", "delivery is late", "expected delivery date", "delivery estimate for my order",
        "why is delivery slow"},
       "Orders arrive within five working days of dispatch; remote areas can take longer."},
      {"en/sellers/seller-payouts.md", "seller-payouts", "When sellers get paid", "sellers", "payouts", "en",
       "Payouts are sent every Friday.",
       {"when do i receive my payout", "how often are sellers paid", "payout schedule", "my earnings have not arrived",
        "transfer money to my bank as a seller"},
       "Payouts cover the orders confirmed by Wednesday and reach your bank by Monday."},
      {"en/sellers/payout-bank.md", "payout-bank", "Change your payout bank account", "sellers", "payouts", "en",
       "Update the bank account in Settings.",
       {"update my bank details", "change the account for payouts", "new bank account for earnings",
        "wrong iban on my account", "switch payout account"},
       "Open Settings, then Payouts, and enter the new IBAN; we verify it within a day."},
      {"en/sellers/seller-fees.md", "seller-fees", "Seller fees explained", "sellers", "payouts", "en",
       "We take a commission of eight percent per sale.",
       {"how much commission do you take", "what are the selling fees", "why was a fee deducted",
        "cost of listing an item", "percentage charged per sale"},
       "Listing is free; the commission is taken when the item sells."},
      {"en/sellers/account-verification.md", "account-verification", "Verify your seller account", "sellers",
       "payouts", "en", "Upload an identity document to start selling.",
       {"why do i need to verify my identity", "upload my passport", "verification is pending",
        "documents needed to sell", "my account is not verified"},
       "Verification takes up to two days once the document is uploaded."},
  };
}

/// Three Spanish articles with three questions each.
inline std::vector<ModelArticle> spanish_articles() {
  return {
      {"es/payments/reembolso.md", "reembolso", "Cuánto tarda un reembolso", "payments", "refund-timing", "es",
       "Los reembolsos llegan a la tarjeta en diez días hábiles.",
       {"cuándo recibo mi dinero", "el reembolso no llega", "cuántos días tarda el reembolso"},
       "El reembolso vuelve a la tarjeta con la que pagaste."},
      {"es/payments/tarjeta-rechazada.md", "tarjeta-rechazada", "Por qué se rechaza una tarjeta", "payments",
       "methods", "es", "El banco rechazó el cargo.",
       {"mi tarjeta fue rechazada", "no puedo pagar con mi tarjeta", "el pago falló"},
       "Revisa la fecha de caducidad y vuelve a intentarlo."},
      {"es/returns/devolucion.md", "devolucion", "Iniciar una devolución", "returns", "policy", "es",
       "Abre el pedido y elige Devolver.",
       {"cómo devuelvo un artículo", "quiero devolver mi pedido", "dónde empiezo una devolución"},
       "Abre el pedido en la página de pedidos y elige Devolver."},
  };
}

/// A knowledge base (hmtest::Kb) holding `articles`.
inline void write_articles(Kb& kb, const std::vector<ModelArticle>& articles) {
  for (const auto& a : articles) kb.add(a.path, model_article_md(a));
}

/// The same files in a plain directory (for CLI tests): articles/ and taxonomy/journeys.yaml.
inline void write_kb_dir(const fs::path& root, const std::vector<ModelArticle>& articles) {
  write_file(root / "taxonomy/journeys.yaml", kTaxonomy);
  for (const auto& a : articles) write_file(root / "articles" / a.path, model_article_md(a));
}

/// Sets (or, with nullopt, unsets) an environment variable for the life of the object.
class EnvGuard {
 public:
  EnvGuard(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~EnvGuard() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// A Hunspell dictionary `<name>.aff`/`<name>.dic` (UTF-8) listing `words`, in `dir`.
inline void write_dictionary(const fs::path& dir, const std::string& name, const std::vector<std::string>& words) {
  write_file(dir / (name + ".aff"), "SET UTF-8\n");
  std::string dic = std::to_string(words.size()) + "\n";
  for (const auto& w : words) dic += w + "\n";
  write_file(dir / (name + ".dic"), dic);
}

/// A metadata value of the index at `dir`.
inline std::string index_metadata(const fs::path& dir, const std::string& key) {
  Xapian::Database db(dir.string());
  return db.get_metadata(key);
}

/// Overwrites a metadata value of the index at `dir` (no writer may be running).
inline void set_index_metadata(const fs::path& dir, const std::string& key, const std::string& value) {
  Xapian::WritableDatabase db(dir.string(), Xapian::DB_OPEN);
  db.set_metadata(key, value);
  db.commit();
}

/// Makes the index rank with `weight` × the model's score (the rest is Xapian's), whatever its
/// own tuning chose: tests of the fusion must not depend on what the tuning picked.
inline void set_model_weight(const fs::path& dir, double weight) {
  auto ranking = nlohmann::json::parse(index_metadata(dir, helpmark::schema::kMetaRanking));
  ranking["model_weight"] = weight;
  set_index_metadata(dir, helpmark::schema::kMetaRanking, ranking.dump());
}

inline std::string model_key(const std::string& locale) {
  return std::string(helpmark::schema::kMetaModelPrefix) + locale;
}

}  // namespace hmtest
