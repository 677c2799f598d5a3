#include "data/schema.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace accidents::data {

namespace {

using Known = std::pair<std::string_view, ColumnType>;

// Identifiers and narratives are text; descriptive values repeat, so they are categories.
constexpr std::array known_columns = {
    Known{"eventid", ColumnType::text},
    Known{"investigationtype", ColumnType::category},
    Known{"accidentnumber", ColumnType::text},
    Known{"eventdate", ColumnType::date},
    Known{"location", ColumnType::category},
    Known{"country", ColumnType::category},
    Known{"latitude", ColumnType::latitude},
    Known{"longitude", ColumnType::longitude},
    Known{"airportcode", ColumnType::category},
    Known{"airportname", ColumnType::category},
    Known{"injuryseverity", ColumnType::category},
    Known{"aircraftdamage", ColumnType::category},
    Known{"aircraftcategory", ColumnType::category},
    Known{"registrationnumber", ColumnType::text},
    Known{"make", ColumnType::category},
    Known{"model", ColumnType::category},
    Known{"amateurbuilt", ColumnType::category},
    Known{"numberofengines", ColumnType::number},
    Known{"enginetype", ColumnType::category},
    Known{"fardescription", ColumnType::category},
    Known{"schedule", ColumnType::category},
    Known{"purposeofflight", ColumnType::category},
    Known{"aircarrier", ColumnType::category},
    Known{"totalfatalinjuries", ColumnType::number},
    Known{"totalseriousinjuries", ColumnType::number},
    Known{"totalminorinjuries", ColumnType::number},
    Known{"totaluninjured", ColumnType::number},
    Known{"weathercondition", ColumnType::category},
    Known{"broadphaseofflight", ColumnType::category},
    Known{"reportstatus", ColumnType::text},
    Known{"publicationdate", ColumnType::category},
    // NTSB CAROL export
    Known{"city", ColumnType::category},
    Known{"state", ColumnType::category},
    Known{"totalfatalities", ColumnType::number},
    Known{"totalinjuries", ColumnType::number},
};

// pandas 1.5 `read_csv` default na_values, except the empty string (handled as empty). pandas 2
// added "None"; the original ran 1.5, and "None" is a real Engine.Type.
constexpr std::array<std::string_view, 17> na_markers = {"#N/A", "#N/A N/A", "#NA",     "-1.#IND", "-1.#QNAN", "-NaN",
                                                         "-nan", "1.#IND",   "1.#QNAN", "<NA>",    "N/A",      "NA",
                                                         "NULL", "NaN",      "n/a",     "nan",     "null"};

} // namespace

std::string_view to_string(ColumnType type) {
    switch (type) {
    case ColumnType::text: return "text";
    case ColumnType::category: return "category";
    case ColumnType::number: return "number";
    case ColumnType::date: return "date";
    case ColumnType::latitude: return "latitude";
    case ColumnType::longitude: return "longitude";
    }
    return "unknown";
}

bool is_numeric(ColumnType type) {
    return type == ColumnType::number || type == ColumnType::latitude || type == ColumnType::longitude;
}

std::string column_key(std::string_view name) {
    std::string key;
    key.reserve(name.size());
    for (const char c : name) {
        if (c == '.' || c == '_' || c == '-' || c == ' ') {
            continue;
        }
        key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c);
    }
    return key;
}

std::optional<ColumnType> known_column_type(std::string_view key) {
    const auto it =
        std::find_if(known_columns.begin(), known_columns.end(), [key](const Known& k) { return k.first == key; });
    if (it == known_columns.end()) {
        return std::nullopt;
    }
    return it->second;
}

bool is_na_marker(std::string_view cell) {
    return may_be_na_marker(cell) && std::find(na_markers.begin(), na_markers.end(), cell) != na_markers.end();
}

} // namespace accidents::data
