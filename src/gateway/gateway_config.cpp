#include "gateway/gateway_config.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace accidents::gateway {

namespace {

[[noreturn]] void fail(std::string_view source, const toml::node& node, std::string_view message) {
    throw std::runtime_error(fmt::format("{}:{}: {}", source, node.source().begin.line, message));
}

double number(const toml::table& table, std::string_view field, std::string_view source) {
    const toml::node* node = table.get(field);
    if (node == nullptr) {
        fail(source, table, fmt::format("`{}` is missing", field));
    }
    if (const auto v = node->value<double>()) {
        return *v;
    }
    fail(source, *node, fmt::format("`{}` must be a number", field));
}

Throttle parse_throttle(const toml::table& table, std::string_view source) {
    Throttle t;
    t.rate = number(table, "rate", source);
    const double burst = number(table, "burst", source);
    if (!(t.rate > 0) || t.rate > 1e9) {
        fail(source, table, "`rate` must be a number of requests per second above 0");
    }
    if (burst < 1 || burst > 1e9 || burst != static_cast<double>(static_cast<std::uint32_t>(burst))) {
        fail(source, table, "`burst` must be a whole number of requests, at least 1");
    }
    t.burst = static_cast<std::uint32_t>(burst);
    return t;
}

std::uint64_t whole(const toml::table& table, std::string_view field, std::string_view source) {
    const toml::node* node = table.get(field);
    if (node == nullptr) {
        return 0;
    }
    const auto v = node->value<std::int64_t>();
    if (!v || *v < 0) {
        fail(source, *node, fmt::format("`{}` must be a whole number, at least 0", field));
    }
    return static_cast<std::uint64_t>(*v);
}

UsagePlan parse_plan(std::string name, const toml::table& table, std::string_view source) {
    UsagePlan plan;
    plan.name = std::move(name);
    plan.throttle = parse_throttle(table, source);
    if (const toml::node* q = table.get("quota")) {
        const toml::table* quota = q->as_table();
        if (quota == nullptr) {
            fail(source, *q, "`quota` must be a table { limit, period, offset }");
        }
        Quota parsed;
        parsed.limit = whole(*quota, "limit", source);
        const auto period = (*quota)["period"].value<std::string>();
        const auto p = parse_quota_period(period.value_or(""));
        if (!p) {
            fail(source, *quota, "quota `period` must be \"DAY\", \"WEEK\" or \"MONTH\"");
        }
        parsed.period = *p;
        parsed.offset = whole(*quota, "offset", source);
        if (parsed.offset > parsed.limit) {
            fail(source, *quota, "quota `offset` must not exceed its `limit`");
        }
        plan.quota = parsed;
    }
    if (const toml::node* r = table.get("routes")) {
        const toml::table* routes = r->as_table();
        if (routes == nullptr) {
            fail(source, *r, "`routes` must be a table of \"METHOD /path\" = { rate, burst }");
        }
        for (const auto& [route, node] : *routes) {
            const toml::table* throttle = node.as_table();
            const std::string_view key = route.str();
            const auto space = key.find(' ');
            if (throttle == nullptr || space == std::string_view::npos || space + 1 >= key.size() ||
                key[space + 1] != '/') {
                fail(source, node, fmt::format("route `{}`: expected \"METHOD /path\" = {{ rate, burst }}", key));
            }
            plan.route_throttles.emplace(std::string(key), parse_throttle(*throttle, source));
        }
    }
    for (const auto& [field, node] : table) {
        const std::string_view f = field.str();
        if (f != "rate" && f != "burst" && f != "quota" && f != "routes") {
            fail(source, node, fmt::format("unknown field `{}` in plan `{}`", f, plan.name));
        }
    }
    return plan;
}

} // namespace

GatewayConfig GatewayConfig::parse(std::string_view toml_text, const std::filesystem::path& base_dir,
                                   std::string_view source) {
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
    }
    GatewayConfig config;
    for (const auto& [field, node] : doc) {
        const std::string_view f = field.str();
        if (f != "api_root" && f != "keys_file" && f != "plans" && f != "anonymous" && f != "cors") {
            fail(source, node, fmt::format("unknown field `{}`", f));
        }
    }
    if (const auto root = doc["api_root"].value<std::string>()) {
        if (!root->empty() && (root->front() != '/' || root->back() == '/')) {
            fail(source, *doc.get("api_root"), "`api_root` must start with / and not end with one (or be empty)");
        }
        config.api_root = *root;
    }
    if (const auto keys = doc["keys_file"].value<std::string>()) {
        const std::filesystem::path path(*keys);
        config.keys_file = path.is_absolute() ? path : base_dir / path;
    }
    if (const toml::node* p = doc.get("plans")) {
        const toml::table* plans = p->as_table();
        if (plans == nullptr) {
            fail(source, *p, "`plans` must be a table of [plans.NAME] tables");
        }
        for (const auto& [name, node] : *plans) {
            const toml::table* plan = node.as_table();
            if (plan == nullptr) {
                fail(source, node, fmt::format("plan `{}` must be a table", name.str()));
            }
            config.plans.emplace(std::string(name.str()), parse_plan(std::string(name.str()), *plan, source));
        }
    }
    if (const toml::node* a = doc.get("anonymous")) {
        const toml::table* anonymous = a->as_table();
        const auto plan = anonymous ? (*anonymous)["plan"].value<std::string>() : std::nullopt;
        if (!plan) {
            fail(source, *a, "[anonymous] needs `plan`, the plan applied per client IP to requests without a key");
        }
        if (!config.plans.contains(*plan)) {
            fail(source, *a, fmt::format("[anonymous] plan `{}` is not defined", *plan));
        }
        config.anonymous_plan = *plan;
    }
    if (const toml::node* c = doc.get("cors")) {
        const toml::table* cors = c->as_table();
        if (cors == nullptr) {
            fail(source, *c, "[cors] must be a table");
        }
        if (const toml::node* o = cors->get("allow_origins")) {
            const toml::array* origins = o->as_array();
            if (origins == nullptr) {
                fail(source, *o, "`allow_origins` must be an array of strings");
            }
            for (const toml::node& origin : *origins) {
                const auto text = origin.value<std::string>();
                if (!text || text->empty()) {
                    fail(source, origin, "`allow_origins` must be an array of strings");
                }
                config.cors.allow_origins.push_back(*text);
            }
        }
        if (cors->contains("max_age")) {
            config.cors.max_age = std::chrono::seconds(whole(*cors, "max_age", source));
        }
    }
    if (config.plans.empty()) {
        throw std::runtime_error(fmt::format("{}: no usage plan defined ([plans.NAME] with rate and burst)", source));
    }
    return config;
}

GatewayConfig GatewayConfig::load_file(const std::filesystem::path& path) {
    toml::table doc;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read gateway config " + path.string());
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse(text, path.parent_path(), path.string());
}

} // namespace accidents::gateway
