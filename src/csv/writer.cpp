#include "csv/writer.hpp"

#include <ostream>

#include "csv/errors.hpp"

namespace parley::csv {

namespace {

bool looks_numeric(std::string_view s) {
    bool digit = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return false;
        }
    }
    return digit;
}

}  // namespace

bool needs_formula_guard(std::string_view cell) {
    while (!cell.empty() && cell.front() == '\'') cell.remove_prefix(1);
    if (cell.empty()) return false;
    switch (cell.front()) {
        case '=':
        case '@':
        case '\t':
        case '\r':
            return true;
        case '+':
        case '-':
            return !looks_numeric(cell.substr(1));
        default:
            return false;
    }
}

std::string_view unguard_formula(std::string_view cell) {
    if (!cell.empty() && cell.front() == '\'' && needs_formula_guard(cell.substr(1))) {
        cell.remove_prefix(1);
    }
    return cell;
}

Writer::Writer(std::ostream& out, WriterOptions options) : out_(&out), options_(options) {}

Writer::Writer(Sink sink, WriterOptions options) : sink_(std::move(sink)), options_(options) {}

Writer::~Writer() { (void)flush(); }

void Writer::write_row(std::span<const std::string_view> fields) {
    begin_row();
    for (std::string_view f : fields) append_field(f);
    // A row of one empty field would otherwise be a blank line, which readers skip.
    if (fields.size() == 1 && fields[0].empty()) buffer_ += "\"\"";
    end_row();
}

void Writer::write_row(std::span<const std::string> fields) {
    begin_row();
    for (const std::string& f : fields) append_field(f);
    if (fields.size() == 1 && fields[0].empty()) buffer_ += "\"\"";
    end_row();
}

void Writer::begin_row() {
    if (!started_ && options_.bom) buffer_ += "\xEF\xBB\xBF";
    started_ = true;
    first_field_ = true;
}

void Writer::append_field(std::string_view field) {
    if (!first_field_) buffer_ += options_.separator;
    first_field_ = false;
    const bool guard = options_.guard_formulas && needs_formula_guard(field);
    bool quote = !field.empty() && (field.front() == ' ' || field.back() == ' ' ||
                                    field.front() == '\t' || field.back() == '\t');
    for (char c : field) {
        if (c == '"' || c == options_.separator || c == '\r' || c == '\n') {
            quote = true;
            break;
        }
    }
    if (quote) buffer_ += '"';
    if (guard) buffer_ += '\'';
    if (!quote) {
        buffer_ += field;
    } else {
        for (char c : field) {
            if (c == '"') buffer_ += '"';
            buffer_ += c;
        }
        buffer_ += '"';
    }
}

void Writer::end_row() {
    buffer_ += "\r\n";
    if (buffer_.size() >= kFlushBytes) (void)flush();
}

Result<void> Writer::flush() {
    if (!buffer_.empty()) {
        if (out_ != nullptr) {
            out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        } else if (sink_) {
            sink_(buffer_);
        }
        buffer_.clear();
    }
    if (out_ != nullptr) {
        out_->flush();
        if (!*out_) {
            return fail(ErrorKind::internal, kWriteFailed, "The export could not be written.");
        }
    }
    return ok();
}

}  // namespace parley::csv
