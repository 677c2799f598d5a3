#include "gateway/key_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "gateway/api_key.hpp"
#include "gateway/toml_file.hpp"

namespace accidents::gateway {

namespace {

std::string required_string(const toml::table& table, std::string_view field, const std::string& where) {
    const auto value = table[field].value<std::string>();
    if (!value || value->empty()) {
        throw std::runtime_error(fmt::format("{}: key without `{}`", where, field));
    }
    return *value;
}

TimePoint required_time(const toml::table& table, std::string_view field, const std::string& where) {
    const auto parsed = parse_utc(required_string(table, field, where));
    if (!parsed) {
        throw std::runtime_error(fmt::format("{}: `{}` is not a UTC time like 2024-05-01T10:00:00Z", where, field));
    }
    return *parsed;
}

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "writing " + path.string());
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

std::vector<ApiKey> read_key_file(const std::filesystem::path& path) {
    const auto file = read_toml_file(path);
    if (!file) {
        return {};
    }
    const toml::table& doc = *file;
    std::vector<ApiKey> keys;
    const toml::node* list = doc.get("key");
    if (list == nullptr) {
        return keys;
    }
    const toml::array* tables = list->as_array();
    if (tables == nullptr) {
        throw std::runtime_error(path.string() + ": `key` must be an array of tables ([[key]])");
    }
    for (const toml::node& node : *tables) {
        const std::string where = fmt::format("{}:{}", path.string(), node.source().begin.line);
        const toml::table* table = node.as_table();
        if (table == nullptr) {
            throw std::runtime_error(where + ": `key` must be an array of tables ([[key]])");
        }
        ApiKey key;
        key.id = required_string(*table, "id", where);
        key.name = required_string(*table, "name", where);
        key.plan = required_string(*table, "plan", where);
        key.created = required_time(*table, "created", where);
        const std::string state = required_string(*table, "state", where);
        if (state == "active") {
            key.state = KeyState::active;
        } else if (state == "revoked") {
            key.state = KeyState::revoked;
        } else {
            throw std::runtime_error(where + ": `state` must be \"active\" or \"revoked\"");
        }
        if (table->contains("last_used")) {
            key.last_used = required_time(*table, "last_used", where);
        }
        key.sha256 = required_string(*table, "sha256", where);
        if (!is_sha256_hex(key.sha256)) {
            throw std::runtime_error(where + ": `sha256` must be 64 lower-case hex digits");
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

void write_key_file(const std::filesystem::path& path, const std::vector<ApiKey>& keys) {
    toml::array tables;
    for (const ApiKey& key : keys) {
        toml::table t;
        t.insert("id", key.id);
        t.insert("name", key.name);
        t.insert("plan", key.plan);
        t.insert("created", format_utc(key.created));
        t.insert("state", key.state == KeyState::active ? "active" : "revoked");
        if (key.last_used) {
            t.insert("last_used", format_utc(*key.last_used));
        }
        t.insert("sha256", key.sha256);
        tables.push_back(std::move(t));
    }
    toml::table doc;
    doc.insert("key", std::move(tables));
    std::ostringstream text;
    text << "# API keys of the accidents gateway (docs/gateway.md): SHA-256 hashes, never the keys.\n"
            "# Written by `accidents keys`; the server reloads it when it changes.\n\n"
         << doc << "\n";

    write_file_atomically(path, text.view());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
    const std::filesystem::path temp = path.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "creating " + temp.string());
    }
    try {
        if (::fchmod(fd, 0600) != 0) {
            throw std::system_error(errno, std::generic_category(), "chmod " + temp.string());
        }
        write_all(fd, text, temp);
        if (::fsync(fd) != 0) {
            throw std::system_error(errno, std::generic_category(), "fsync " + temp.string());
        }
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw std::system_error(error, std::generic_category(), "renaming " + temp.string() + " to " + path.string());
    }
}

} // namespace accidents::gateway
