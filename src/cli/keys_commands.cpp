#include "cli/keys_commands.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/command_exit.hpp"
#include "gateway/api_key.hpp"
#include "gateway/clock.hpp"
#include "gateway/key_file.hpp"
#include "gateway/key_usage.hpp"

namespace accidents::cli {

namespace {

using gateway::ApiKey;
using gateway::KeyState;

std::vector<ApiKey>::iterator find_active(std::vector<ApiKey>& keys, const std::string& name) {
    return std::find_if(keys.begin(), keys.end(),
                        [&](const ApiKey& k) { return k.name == name && k.state == KeyState::active; });
}

void add_key(std::vector<ApiKey>& keys, const std::string& name, const std::string& plan,
             const std::filesystem::path& file, std::ostream& out) {
    const std::string secret = gateway::generate_api_key();
    ApiKey key;
    key.id = gateway::generate_key_id();
    key.name = name;
    key.plan = plan;
    key.created = std::chrono::floor<std::chrono::seconds>(gateway::system_clock().now());
    key.sha256 = gateway::hash_api_key(secret);
    keys.push_back(key);
    gateway::write_key_file(file, keys);
    out << secret << "\n";
    std::cerr << fmt::format("key {} for `{}` on plan `{}` written to {}; the key above is shown only this once\n",
                             key.id, name, plan, file.string());
}

void check_name(const std::string& text, std::string_view what) {
    if (text.empty() || text.size() > 128 ||
        std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; })) {
        throw std::runtime_error(fmt::format("{} must be 1 to 128 printable characters", what));
    }
}

// A keys command: its messages start with `accidents keys:`.
template <class F> [[noreturn]] void run(F&& f) {
    run_command("accidents keys", [&] {
        f();
        return 0;
    });
}

} // namespace

void keys_create(const std::filesystem::path& file, const std::string& name, const std::string& plan,
                 std::ostream& out) {
    check_name(name, "--name");
    check_name(plan, "--plan");
    auto keys = gateway::read_key_file(file);
    if (find_active(keys, name) != keys.end()) {
        throw std::runtime_error(fmt::format("`{}` already has an active key (rotate or revoke it)", name));
    }
    add_key(keys, name, plan, file, out);
}

void keys_list(const std::filesystem::path& file, std::ostream& out) {
    const auto keys = gateway::read_key_file(file);
    const auto uses = gateway::read_key_usage(gateway::usage_file_for(file)); // written by the servers
    out << fmt::format("{:<24} {:<12} {:<8} {:<20} {:<20} {}\n", "NAME", "PLAN", "STATE", "CREATED", "LAST USED", "ID");
    for (const ApiKey& k : keys) {
        auto last_used = k.last_used;
        if (const auto use = uses.find(k.id); use != uses.end() && (!last_used || use->second > *last_used)) {
            last_used = use->second;
        }
        out << fmt::format("{:<24} {:<12} {:<8} {:<20} {:<20} {}\n", k.name, k.plan,
                           k.state == KeyState::active ? "active" : "revoked", gateway::format_utc(k.created),
                           last_used ? gateway::format_utc(*last_used) : "-", k.id);
    }
}

void keys_revoke(const std::filesystem::path& file, const std::string& name, std::ostream& out) {
    auto keys = gateway::read_key_file(file);
    const auto it = find_active(keys, name);
    if (it == keys.end()) {
        throw std::runtime_error(fmt::format("no active key named `{}` in {}", name, file.string()));
    }
    it->state = KeyState::revoked;
    gateway::write_key_file(file, keys);
    out << fmt::format("revoked key {} of `{}`\n", it->id, name);
}

void keys_rotate(const std::filesystem::path& file, const std::string& name, std::ostream& out) {
    auto keys = gateway::read_key_file(file);
    const auto it = find_active(keys, name);
    if (it == keys.end()) {
        throw std::runtime_error(fmt::format("no active key named `{}` in {}", name, file.string()));
    }
    it->state = KeyState::revoked;
    const std::string plan = it->plan;
    std::cerr << fmt::format("revoked key {} of `{}`\n", it->id, name);
    add_key(keys, name, plan, file, out);
}

void add_keys_commands(CLI::App& app) {
    struct Args {
        std::string file = "keys.toml";
        std::string name;
        std::string plan;
    };
    auto args = std::make_shared<Args>();
    auto* keys = app.add_subcommand("keys", "Manage the gateway's API keys (docs/gateway.md)");
    keys->require_subcommand(1);
    keys->fallthrough(); // `keys create --keys FILE` as well as `keys --keys FILE create`
    keys->add_option("--keys", args->file, "Keys file (TOML; only SHA-256 hashes of keys)")->capture_default_str();

    auto* create = keys->add_subcommand("create", "Create a key and print it, once");
    create->add_option("--name", args->name, "Who or what uses the key")->required();
    create->add_option("--plan", args->plan, "Usage plan (defined in the gateway config)")->required();
    create->callback([args] { run([&] { keys_create(args->file, args->name, args->plan, std::cout); }); });

    auto* list = keys->add_subcommand("list", "List keys: name, plan, state, created, last used (never the key)");
    list->callback([args] { run([&] { keys_list(args->file, std::cout); }); });

    auto* revoke = keys->add_subcommand("revoke", "Revoke the active key of a name");
    revoke->add_option("--name", args->name, "Name of the key")->required();
    revoke->callback([args] { run([&] { keys_revoke(args->file, args->name, std::cout); }); });

    auto* rotate = keys->add_subcommand("rotate", "Revoke the active key of a name and print a new one, once");
    rotate->add_option("--name", args->name, "Name of the key")->required();
    rotate->callback([args] { run([&] { keys_rotate(args->file, args->name, std::cout); }); });
}

} // namespace accidents::cli
