#include "data/canonical_rule.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <boost/unordered/unordered_flat_set.hpp>
#include <fmt/format.h>

#include "data/ascii.hpp"
#include "data/canonical_tables.hpp"
#include "data/schema.hpp"

namespace accidents::data {

namespace {

constexpr std::string_view unknown_key = "UNKNOWN";

// Legal forms, and the words that say the company makes aircraft.
constexpr auto suffixes = std::to_array<std::string_view>({
    "INC",       "INCORPORATED", "CO",          "COMPANY",  "CORP",      "CORPORATION",
    "LTD",       "LIMITED",      "LLC",         "LC",       "LP",        "LLP",
    "PLC",       "GMBH",         "AG",          "KG",       "SA",        "AS",
    "SRO",       "SPOL",         "PTY",         "NV",       "BV",        "AB",
    "OY",        "SPA",          "SRL",         "SAS",      "MFG",       "MANUFACTURING",
    "AIRCRAFT",  "AIRCRAFTS",    "ACFT",        "AIRPLANE", "AIRPLANES", "INDUSTRIES",
    "INDUSTRIE", "IND",          "FLUGZEUGBAU",
});

// One look-up instead of a comparison with each corporate word: this runs on every Make spelling.
bool is_suffix(std::string_view word) {
    static const boost::unordered_flat_set<std::string_view> set(suffixes.begin(), suffixes.end());
    return word.size() <= 13 && set.contains(word);
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> abbreviations = {{
    {"AVN", "AVIATION"},
    {"HELI", "HELICOPTER"},
    {"HELICOPTERS", "HELICOPTER"},
    {"INTL", "INTERNATIONAL"},
    {"BROS", "BROTHERS"},
}};

constexpr bool is_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

constexpr char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c; }

void words_key(std::string_view raw, std::string& key) {
    for (const char c : raw) {
        const auto b = static_cast<unsigned char>(c);
        if (is_alnum(b) || b >= 0x80) {
            key.push_back(upper(c));
        }
    }
}

void model_key(std::string_view raw, std::string& key) {
    for (const char c : raw) {
        if (c != ' ' && c != '-') {
            key.push_back(upper(c));
        }
    }
}

// The words are written to `key` one after another without a separator; `starts` remembers where
// each begins, so dropping a word is a truncation or an erase.
void make_key(std::string_view raw, std::string& key) {
    constexpr std::size_t max_words = 64;
    std::array<std::size_t, max_words> starts{};
    std::size_t words = 0;
    bool in_word = false;
    int depth = 0;
    const auto end_word = [&] {
        if (!in_word) {
            return;
        }
        in_word = false;
        const std::string_view word = std::string_view(key).substr(starts[words - 1]);
        for (const auto& [abbreviation, full] : abbreviations) {
            if (word == abbreviation) {
                key.replace(starts[words - 1], std::string::npos, full);
                return;
            }
        }
    };
    const auto start_word = [&] {
        if (!in_word && words < max_words) {
            starts[words++] = key.size();
        }
        in_word = true;
    };
    for (const char c : raw) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '(') {
            ++depth;
            end_word();
        } else if (c == ')') {
            depth = std::max(0, depth - 1);
            end_word();
        } else if (depth > 0 || c == '.' || c == '\'') {
            continue;
        } else if (c == '&') {
            end_word();
            start_word();
            key.append("AND");
            end_word();
        } else if (is_alnum(b) || b >= 0x80) {
            start_word();
            key.push_back(upper(c));
        } else {
            end_word();
        }
    }
    end_word();
    const auto word = [&](std::size_t i) {
        const std::size_t end = i + 1 < words ? starts[i + 1] : key.size();
        return std::string_view(key).substr(starts[i], end - starts[i]);
    };
    while (words > 1 && is_suffix(word(words - 1))) {
        key.resize(starts[--words]);
    }
    if (words > 1 && word(0) == "THE") {
        key.erase(0, starts[1]);
    }
}

// Splits a table line at its tabs.
std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> fields;
    for (;;) {
        const auto tab = line.find('\t');
        fields.push_back(line.substr(0, tab));
        if (tab == std::string_view::npos) {
            return fields;
        }
        line.remove_prefix(tab + 1);
    }
}

// Calls `row(line_number, fields)` for each line of a table that is neither blank nor a comment.
template <typename Row> void for_each_row(std::string_view table, std::string_view name, std::size_t columns, Row row) {
    std::size_t number = 0;
    while (!table.empty()) {
        const auto newline = table.find('\n');
        std::string_view line = table.substr(0, newline);
        table.remove_prefix(newline == std::string_view::npos ? table.size() : newline + 1);
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const auto fields = fields_of(line);
        if (fields.size() != columns) {
            throw std::logic_error(
                fmt::format("{} line {}: {} tab-separated fields, {} expected", name, number, fields.size(), columns));
        }
        row(number, fields);
    }
}

} // namespace

// Reads the reviewed tables into the rules; a table that contradicts itself is a programmer error
// (the tables are compiled in and every test that loads a datasheet reads them).
struct CanonicalTables {
    static void name(CanonicalRule& rule, const std::string& key, std::string_view value, std::string_view label,
                     std::string_view where) {
        const auto [it, inserted] =
            rule.reviewed_.try_emplace(key, ReviewedValue{std::string(value), std::string(label)});
        if (!inserted && (it->second.value != value || it->second.label != label)) {
            throw std::logic_error(fmt::format("{}: '{}' and '{}' of {} fold to the same key {}", where, value,
                                               it->second.value, rule.column_, key));
        }
        if (inserted) {
            rule.reviewed_order_.push_back(key);
        }
    }

    static void alias(CanonicalRule& rule, std::string_view spelling, const std::string& target,
                      std::string_view where) {
        const std::string from = rule.fold_without_aliases(spelling);
        if (from == target) {
            throw std::logic_error(
                fmt::format("{}: '{}' already folds to {} by the rules: remove the alias", where, spelling, target));
        }
        if (rule.reviewed_.contains(from)) {
            throw std::logic_error(
                fmt::format("{}: '{}' is the key of a reviewed value of {}", where, spelling, rule.column_));
        }
        const auto [it, inserted] = rule.aliases_.try_emplace(from, target);
        if (!inserted && it->second != target) {
            throw std::logic_error(
                fmt::format("{}: '{}' is an alias of two values of {}", where, spelling, rule.column_));
        }
    }

    static void check_no_chains(const CanonicalRule& rule) {
        for (const auto& [from, to] : rule.aliases_) {
            if (rule.aliases_.contains(to) || !rule.reviewed_.contains(to)) {
                throw std::logic_error(fmt::format("the aliases of {}: {} leads to {}, which is not a reviewed value",
                                                   rule.column_, from, to));
            }
        }
    }

    static std::vector<CanonicalRule> load() {
        using Fold = CanonicalRule::Fold;
        std::vector<CanonicalRule> rules;
        const auto add = [&](std::string column, std::vector<std::string> keys, Fold fold) {
            rules.emplace_back(std::move(column), std::move(keys), fold);
        };
        add("Investigation.Type", {"investigationtype"}, Fold::words);
        add("Country", {"country"}, Fold::words);
        add("Injury.Severity", {"injuryseverity"}, Fold::severity);
        add("Aircraft.damage", {"aircraftdamage"}, Fold::words);
        add("Aircraft.Category", {"aircraftcategory"}, Fold::words);
        add("Make", {"make"}, Fold::make);
        add("Model", {"model"}, Fold::model);
        add("Amateur.Built", {"amateurbuilt"}, Fold::words);
        add("Engine.Type", {"enginetype"}, Fold::words);
        add("FAR.Description", {"fardescription"}, Fold::words);
        add("Schedule", {"schedule"}, Fold::words);
        add("Purpose.of.flight", {"purposeofflight"}, Fold::words);
        add("Weather.Condition", {"weathercondition"}, Fold::words);
        add("Broad.phase.of.flight", {"broadphaseofflight"}, Fold::words);
        for (auto& rule : rules) {
            name(rule, std::string(unknown_key), "Unknown", "Unknown", "the recorded-unknown rule");
        }
        const auto rule_of = [&](std::string_view column, std::string_view where) -> CanonicalRule& {
            const std::string key = column_key(column);
            for (auto& rule : rules) {
                if (std::find(rule.keys_.begin(), rule.keys_.end(), key) != rule.keys_.end()) {
                    return rule;
                }
            }
            throw std::logic_error(fmt::format("{}: no canonical values for the column '{}'", where, column));
        };

        CanonicalRule& make = rule_of("Make", "makes.tsv");
        for_each_row(make_table(), "makes.tsv", 3, [&](std::size_t line, const std::vector<std::string_view>& f) {
            const std::string where = fmt::format("makes.tsv line {}", line);
            const std::string target = make.fold_without_aliases(f[0]);
            name(make, target, f[0], f[0], where);
            if (!f[1].empty()) {
                alias(make, f[1], target, where);
            }
        });
        for_each_row(vocabulary_table(), "vocabularies.tsv", 5,
                     [&](std::size_t line, const std::vector<std::string_view>& f) {
                         const std::string where = fmt::format("vocabularies.tsv line {}", line);
                         CanonicalRule& rule = rule_of(f[0], where);
                         const std::string target = rule.fold_without_aliases(f[1]);
                         name(rule, target, f[1], f[2], where);
                         std::string_view spellings = f[3];
                         while (!spellings.empty()) {
                             const auto comma = spellings.find(',');
                             alias(rule, ascii::trim(spellings.substr(0, comma)), target, where);
                             spellings.remove_prefix(comma == std::string_view::npos ? spellings.size() : comma + 1);
                         }
                     });
        for (const auto& rule : rules) {
            check_no_chains(rule);
        }
        return rules;
    }
};

CanonicalRule::CanonicalRule(std::string column, std::vector<std::string> keys, Fold fold)
    : column_(std::move(column)), keys_(std::move(keys)), fold_(fold) {}

const std::vector<CanonicalRule>& CanonicalRule::all() {
    static const std::vector<CanonicalRule> rules = CanonicalTables::load();
    return rules;
}

const CanonicalRule* CanonicalRule::for_column(std::string_view column_key) {
    for (const auto& rule : all()) {
        if (std::find(rule.keys_.begin(), rule.keys_.end(), column_key) != rule.keys_.end()) {
            return &rule;
        }
    }
    return nullptr;
}

const std::vector<std::string_view>& CanonicalRule::make_suffixes() {
    static const std::vector<std::string_view> list(suffixes.begin(), suffixes.end());
    return list;
}

std::string CanonicalRule::fold_without_aliases(std::string_view raw) const {
    std::string key;
    fold_into(raw, key);
    return key;
}

void CanonicalRule::fold_into(std::string_view raw, std::string& key) const {
    key.clear();
    switch (fold_) {
    case Fold::words: words_key(raw, key); break;
    case Fold::severity:
        words_key(raw, key);
        if (key.starts_with("FATAL") && key.size() > 5 &&
            std::all_of(key.begin() + 5, key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            key.resize(5);
        }
        break;
    case Fold::model: model_key(raw, key); break;
    case Fold::make: make_key(raw, key); break;
    }
    if (key == "UNK" || key == "UNKN") {
        key = unknown_key;
    }
}

void CanonicalRule::fold(std::string_view raw, std::string& key) const {
    fold_into(raw, key);
    if (const auto it = aliases_.find(key); it != aliases_.end()) {
        key = it->second;
    }
}

std::string CanonicalRule::fold(std::string_view raw) const {
    std::string key;
    fold(raw, key);
    return key;
}

const ReviewedValue* CanonicalRule::reviewed(std::string_view key) const {
    const auto it = reviewed_.find(key);
    return it == reviewed_.end() ? nullptr : &it->second;
}

} // namespace accidents::data
