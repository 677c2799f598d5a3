#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

namespace accidents::data {

//! A canonical value a reviewed table names: the value answered and its label (docs/canonical-values.md).
struct ReviewedValue {
    std::string value; //!< e.g. `Cessna`, `VMC`, `Fatal`
    std::string label; //!< e.g. `Cessna`, `Visual (VMC)`, `Fatal`
};

//! How the raw values of one category column fold into canonical values. Two raw values are one
//! canonical value exactly when their keys (fold()) are equal. A key is made of:
//! - the fold of the column's kind:
//!   - words (coded columns, Country): ASCII letters in upper case; every byte that is not an
//!     ASCII letter or digit dropped, but non-ASCII bytes kept (`Go-around` = `GO-AROUND` = `GOAROUND`);
//!   - severity (Injury.Severity): words, then `FATAL` followed by digits is `FATAL` (`Fatal(2)`);
//!   - model (Model): ASCII letters in upper case, spaces and hyphens dropped (`PA-28-140` = `PA28 140`);
//!   - make (Make): a parenthesised remark dropped, `.` and `'` dropped, `&` read as `AND`, the rest
//!     split into words at every other byte that is not an ASCII letter or digit (non-ASCII bytes
//!     kept), the abbreviations AVN, HELI, HELICOPTERS, INTL, BROS written out, a leading THE
//!     dropped, then trailing corporate words (INC, CO, CORP, COMPANY, LTD, LLC, GMBH, AG, SA, AS,
//!     SRO, AIRCRAFT, ACFT, MFG, INDUSTRIES, FLUGZEUGBAU, ...; make_suffixes()) dropped while
//!     another word remains, and the words joined without a separator
//!     (`CESSNA AIRCRAFT CO` = `Cessna` = `CESSNA`);
//! - the recorded unknown: a key UNK, UNKN or UNKNOWN is UNKNOWN (the canonical value `Unknown`),
//!   in every column; an empty cell is no value and has no key;
//! - the reviewed aliases of the column: src/data/canonical/makes.tsv (Make) and
//!   src/data/canonical/vocabularies.tsv (the others), which also give reviewed values and labels.
class CanonicalRule {
public:
    enum class Fold { words, severity, model, make };

    //! The rule of the column with that key (column_key()), or nullptr for a column without
    //! canonical values (identifiers, free text, places, dates, numbers).
    static const CanonicalRule* for_column(std::string_view column_key);

    //! The column's name as the documentation spells it (`Make`, `Broad.phase.of.flight`).
    const std::string& column() const { return column_; }
    Fold kind() const { return fold_; }

    //! Writes the key of `raw` into `key` (replacing its content), aliases applied.
    void fold(std::string_view raw, std::string& key) const;
    std::string fold(std::string_view raw) const;

    //! The reviewed value and label of a key, or nullptr when the key has none.
    const ReviewedValue* reviewed(std::string_view key) const;

    //! Every reviewed key of the column, in the order of its table.
    const std::vector<std::string>& reviewed_keys() const { return reviewed_order_; }

    //! The key a spelling is an alias of (before aliases: the fold alone), for tests and audits.
    std::string fold_without_aliases(std::string_view raw) const;

    //! The corporate words the make fold drops from the end of a name.
    static const std::vector<std::string_view>& make_suffixes();

    //! The rules of every column that has canonical values.
    static const std::vector<CanonicalRule>& all();

    //! Builds a rule from its tables; only the loader of the reviewed tables calls it.
    CanonicalRule(std::string column, std::vector<std::string> keys, Fold fold);

private:
    friend struct CanonicalTables;

    // Hashes std::string keys and looks them up by string_view.
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return boost::hash<std::string_view>{}(s); }
    };
    template <typename T> using KeyMap = boost::unordered_flat_map<std::string, T, KeyHash, std::equal_to<>>;

    void fold_into(std::string_view raw, std::string& key) const; // without aliases

    std::string column_;
    std::vector<std::string> keys_; // column keys it applies to (current and older header spellings)
    Fold fold_;
    KeyMap<std::string> aliases_; // key -> key
    KeyMap<ReviewedValue> reviewed_;
    std::vector<std::string> reviewed_order_;
};

} // namespace accidents::data
