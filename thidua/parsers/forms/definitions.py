"""The forms schools send, as data: labels, column headers, category words, titles.

Everything here is written the way Vietnamese schools write it (with diacritics,
any case); the matchers fold it before comparing, so an entry covers its
unaccented, upper-case and NFD spellings too. Adding a wording a school uses is
a one-line change here, never a code change.
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua.kinds import KINDS
from thidua.parsers.forms.model import CATEGORIES, NOMINEE_FIELDS, REGISTRATION_FIELDS


@dataclass(frozen=True)
class FieldLabels:
    """One field of a form: its key, the label of the official template, and the
    other labels schools put in its place."""

    key: str
    official: str
    aliases: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return (self.official, *self.aliases)


# --- Registration: "Mẫu gợi ý số 1" (seed 01) ------------------------------------

REGISTRATION_FORM: tuple[FieldLabels, ...] = (
    FieldLabels(
        "school",
        "Cơ sở giáo dục",
        (
            "Tên cơ sở giáo dục",
            "Trường",
            "Tên trường",
            "Đơn vị",
            "Tên đơn vị",
            "Đơn vị công tác",
            "Cơ quan, đơn vị",
        ),
    ),
    FieldLabels(
        "school_year",
        "Thời gian thực hiện: Năm học",
        ("Thời gian thực hiện", "Năm học", "Thời gian thực hiện năm học", "Thời gian: Năm học"),
    ),
    FieldLabels(
        "full_name",
        "Họ tên người đăng ký",
        (
            "Họ và tên người đăng ký",
            "Họ và tên",
            "Họ tên",
            "Người đăng ký",
            "Tên người đăng ký",
            "Họ tên giáo viên",
            "Họ và tên giáo viên",
            "Họ tên cán bộ, giáo viên",
            "Họ và tên cán bộ, giáo viên, nhân viên",
            "Cá nhân đăng ký",
            "Tập thể, cá nhân đăng ký",
            "Tập thể/cá nhân đăng ký",
            "Họ tên người thực hiện",
            "Người thực hiện",
            "Tên tập thể đăng ký",
        ),
    ),
    FieldLabels(
        "assigned_task",
        "Nhiệm vụ được giao",
        (
            "Nhiệm vụ",
            "Chức vụ/nhiệm vụ được giao",
            "Chức vụ, nhiệm vụ được giao",
            "Chức vụ",
            "Chức vụ, nhiệm vụ",
            "Chức vụ/nhiệm vụ",
            "Nhiệm vụ được phân công",
            "Công việc được giao",
            "Nhiệm vụ được giao trong năm học",
            "Nhiệm vụ, công việc được giao",
            "Chức danh, nhiệm vụ",
        ),
    ),
    FieldLabels(
        "innovation_area",
        "Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực",
        (
            "Lĩnh vực đổi mới",
            "Lĩnh vực dự kiến đổi mới sáng tạo",
            "Lĩnh vực đổi mới sáng tạo",
            "Lĩnh vực",
            "Dự kiến đổi mới sáng tạo trong lĩnh vực",
            "Lĩnh vực đăng ký đổi mới",
            "Lĩnh vực đăng ký đổi mới sáng tạo",
            "Lĩnh vực dự kiến thực hiện đổi mới sáng tạo",
            "Dự kiến thực hiện đổi mới trong lĩnh vực",
            "Lĩnh vực thực hiện đổi mới sáng tạo",
        ),
    ),
    FieldLabels(
        "current_situation",
        "Thực trạng vấn đề dự kiến đổi mới (tồn tại)",
        (
            "Thực trạng vấn đề dự kiến đổi mới",
            "Thực trạng",
            "Tồn tại",
            "Thực trạng vấn đề",
            "Thực trạng, tồn tại",
            "Thực trạng (tồn tại)",
            "Những tồn tại",
            "Tồn tại, hạn chế",
            "Thực trạng vấn đề cần đổi mới",
            "Thực trạng của vấn đề",
            "Thực trạng vấn đề dự kiến đổi mới, sáng tạo",
        ),
    ),
    FieldLabels(
        "objectives",
        "Mục tiêu giải pháp đổi mới",
        (
            "Mục tiêu, giải pháp đổi mới",
            "Mục tiêu và giải pháp đổi mới",
            "Mục tiêu",
            "Mục tiêu, giải pháp",
            "Mục tiêu và giải pháp",
            "Giải pháp đổi mới",
            "Mục tiêu đổi mới",
            "Giải pháp",
            "Mục tiêu, giải pháp đổi mới sáng tạo",
            "Các giải pháp đổi mới",
        ),
    ),
    FieldLabels(
        "expected_results",
        "Dự kiến kết quả sẽ đạt được sau khi thực hiện đổi mới",
        (
            "Dự kiến kết quả",
            "Kết quả dự kiến",
            "Kết quả dự kiến đạt được",
            "Dự kiến kết quả đạt được",
            "Kết quả mong đợi",
            "Kết quả cần đạt",
            "Kết quả dự kiến sau khi thực hiện đổi mới",
            "Dự kiến kết quả sẽ đạt được",
        ),
    ),
    FieldLabels(
        "trial_period",
        "Thời gian dự kiến thử nghiệm thực hiện đổi mới",
        (
            "Thời gian thử nghiệm",
            "Thời gian dự kiến thử nghiệm",
            "Thời gian thực hiện thử nghiệm",
            "Thời gian thử nghiệm đổi mới",
            "Thời gian dự kiến thực hiện đổi mới",
            "Thời gian dự kiến",
            "Thời gian thực hiện đổi mới",
            "Thời gian thử nghiệm thực hiện đổi mới",
        ),
    ),
    FieldLabels(
        "trial_steps",
        "Các bước tiến hành thử nghiệm đổi mới",
        (
            "Các bước tiến hành",
            "Các bước thực hiện",
            "Các bước tiến hành thử nghiệm",
            "Các bước thử nghiệm",
            "Cách thức tiến hành",
            "Quy trình thực hiện",
            "Các bước thực hiện đổi mới",
            "Các bước tiến hành đổi mới",
        ),
    ),
    FieldLabels(
        "dissemination_scope",
        "Phạm vi công bố và nhân rộng kết quả đổi mới",
        (
            "Phạm vi công bố",
            "Phạm vi nhân rộng",
            "Phạm vi áp dụng",
            "Phạm vi công bố, nhân rộng",
            "Phạm vi công bố và nhân rộng",
            "Phạm vi ảnh hưởng",
            "Phạm vi áp dụng và nhân rộng",
            "Phạm vi áp dụng, nhân rộng kết quả đổi mới",
            "Phạm vi công bố, nhân rộng kết quả",
        ),
    ),
)

# Fields in the form's header rather than its numbered body.
HEADER_FIELDS = ("school", "school_year")
BODY_FIELDS = tuple(key for key in REGISTRATION_FIELDS if key not in HEADER_FIELDS)
# A second occurrence of this label starts the next person's form (several forms in one file).
FIRST_BODY_FIELD = "full_name"

# "Thời gian thực hiện" heads the form (the school year) but schools also use it for
# the trial period inside the body; there a value that is not a school year means this.
BODY_MEANING_OF_HEADER_LABEL = {"school_year": "trial_period"}

# Hints the template prints under or after a label; part of the form, never a value.
TEMPLATE_HINTS = (
    "tồn tại",
    "quản lý tổ, nhà trường; quản lý giáo dục học sinh; phương pháp giảng dạy; bồi dưỡng học sinh giỏi; "
    "chất lượng học tập của học sinh; chất lượng giảng dạy chuyên môn",
    "ký, ghi rõ họ tên",
    "ký và ghi rõ họ tên",
    "ký tên, đóng dấu",
    "ký, ghi rõ họ tên, đóng dấu",
)

# Lines that end a form's body: what follows is the signature block.
SIGN_OFF_LINES = (
    "Ký, ghi rõ họ tên",
    "Ký và ghi rõ họ tên",
    "Ký tên",
    "Ký tên, đóng dấu",
    "Người đăng ký",
    "Người viết đăng ký",
    "Người lập biểu",
    "Người lập bảng",
    "Người lập danh sách",
    "Người tổng hợp",
    "Xác nhận của nhà trường",
    "Xác nhận của Hiệu trưởng",
    "Xác nhận của tổ chuyên môn",
    "Xác nhận của tổ trưởng",
    "Duyệt của Hiệu trưởng",
    "Hiệu trưởng",
    "Phó hiệu trưởng",
    "Thủ trưởng đơn vị",
    "Thủ trưởng cơ quan",
    "Chủ tịch công đoàn",
    "TM. Ban giám hiệu",
    "TM. Nhà trường",
    "TM. Hội đồng thi đua khen thưởng",
    "TM. Hội đồng thi đua, khen thưởng",
    "KT. Hiệu trưởng",
    "KT. Hiệu trưởng Phó hiệu trưởng",
    "Đại diện nhà trường",
    "Chủ tịch Hội đồng",
    "Nơi nhận",
)

# Lines that start the text after a table or form ends, or a note, never data.
NOTE_PREFIXES = ("Ghi chú", "Lưu ý", "Chú ý")

# --- Nomination list: "mẫu 2" (seed 01), columns in any order ---------------------

NOMINEE_COLUMNS: tuple[FieldLabels, ...] = (
    FieldLabels(
        "rank",
        "STT",
        (
            "Số TT",
            "TT",
            "Thứ tự ưu tiên",
            "Số thứ tự",
            "Thứ tự",
            "TT ưu tiên",
            "STT ưu tiên",
            "Thứ tự ưu tiên đề nghị",
            "Xếp thứ tự ưu tiên",
        ),
    ),
    FieldLabels(
        "name",
        "Họ và tên",
        (
            "Họ tên",
            "Tên tập thể",
            "Tập thể/cá nhân",
            "Họ và tên (tập thể, cá nhân)",
            "Tên tập thể, cá nhân",
            "Tập thể, cá nhân",
            "Tên tập thể/họ tên cá nhân",
            "Tên tập thể, họ tên cá nhân",
            "Họ tên cá nhân, tên tập thể",
            "Tên tập thể hoặc cá nhân",
            "Tên tập thể/cá nhân",
            "Tập thể, cá nhân đề nghị",
            "Tên đơn vị, cá nhân",
            "Họ và tên cá nhân/tên tập thể",
            "Tập thể/cá nhân tiêu biểu",
            "Tên",
            "Tập thể/cá nhân được đề nghị",
        ),
    ),
    FieldLabels(
        "category",
        "Đối tượng",
        (
            "Đối tượng khen",
            "Đối tượng khen thưởng",
            "Loại đối tượng",
            "Đối tượng (tập thể/cá nhân)",
            "Đối tượng đề nghị",
            "Thành phần",
        ),
    ),
    FieldLabels(
        "position",
        "Chức vụ/nhiệm vụ",
        (
            "Chức vụ",
            "Nhiệm vụ được giao",
            "Chức vụ, đơn vị công tác",
            "Chức vụ, nhiệm vụ",
            "Nhiệm vụ",
            "Chức vụ, nhiệm vụ được giao",
            "Chức vụ/đơn vị",
            "Chức vụ, đơn vị",
            "Chức danh",
            "Chức danh, nhiệm vụ",
            "Chức vụ/chức danh",
            "Chức vụ, chức danh",
            "Chức vụ/nhiệm vụ được giao",
            "Nhiệm vụ được phân công",
            "Chức vụ, nơi công tác",
        ),
    ),
    FieldLabels(
        "achievements",
        "Tóm tắt thành tích nổi bật",
        (
            "Thành tích",
            "Tóm tắt thành tích",
            "Thành tích nổi bật",
            "Thành tích đạt được",
            "Nội dung thành tích",
            "Thành tích tiêu biểu",
            "Tóm tắt thành tích đổi mới, sáng tạo",
            "Tóm tắt thành tích, sáng kiến",
            "Thành tích đổi mới, sáng tạo",
            "Tóm tắt thành tích đạt được",
            "Những thành tích nổi bật",
        ),
    ),
    FieldLabels(
        "evidence",
        "Minh chứng, sản phẩm",
        (
            "Minh chứng",
            "Sản phẩm",
            "Minh chứng kèm theo",
            "Hồ sơ minh chứng",
            "Sản phẩm, minh chứng",
            "Minh chứng/sản phẩm",
            "Tên file minh chứng",
            "Minh chứng đính kèm",
            "Tài liệu minh chứng",
            "Sản phẩm, minh chứng cụ thể",
            "Minh chứng, sản phẩm cụ thể",
            "Hồ sơ, minh chứng",
            "File minh chứng",
            "Minh chứng, sản phẩm kèm theo",
        ),
    ),
    FieldLabels(
        "award",
        "Hình thức đề nghị khen thưởng",
        (
            "Hình thức khen thưởng",
            "Đề nghị khen thưởng",
            "Hình thức đề nghị",
            "Hình thức khen",
            "Danh hiệu đề nghị",
            "Hình thức, danh hiệu đề nghị",
            "Đề nghị hình thức khen thưởng",
            "Khen thưởng",
            "Hình thức khen thưởng đề nghị",
            "Danh hiệu, hình thức khen thưởng",
            "Đề nghị khen",
            "Đề nghị",
            "Hình thức",
            "Mức khen thưởng",
            "Cấp khen",
        ),
    ),
    # A consolidated list from an office names each row's school (as `thidua export` writes it).
    FieldLabels(
        "unit",
        "Trường / đơn vị",
        (
            "Đơn vị",
            "Tên đơn vị",
            "Trường",
            "Tên trường",
            "Đơn vị trường học",
            "Trường, đơn vị",
            "Đơn vị công tác",
            "Cơ sở giáo dục",
            "Tên cơ sở giáo dục",
        ),
    ),
)

# A nominee header row names the nominee and at least one of these: what makes a
# list of people a nomination list rather than a staff register or a registration table.
NOMINEE_SPECIFIC_COLUMNS = ("achievements", "evidence", "award", "category")

# First cell of a row that sums up the list instead of naming a nominee.
TOTAL_ROW_WORDS = ("Tổng cộng", "Tổng số", "Cộng", "Tổng")

# --- Categories -------------------------------------------------------------------

# Words that name a category, as schools write them in the Đối tượng column, in
# position titles and in names. The earliest word in a text decides; at the same
# place the longer wording wins ("tổ trưởng" is a teacher, "tổ" a collective).
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "collective",
        (
            "tập thể",
            "tổ",
            "tổ chuyên môn",
            "khối",
            "trường",
            "lớp",
            "liên đội",
            "chi đội",
            "nhóm",
            "tổ văn phòng",
            "chi đoàn",
            "công đoàn",
            "TT",
            "tập thể lớp",
            "khối lớp",
        ),
    ),
    # "quản lý" alone is left out: "Quản lý thiết bị" is a member of staff
    (
        "manager",
        (
            "cán bộ quản lý",
            "CBQL",
            "hiệu trưởng",
            "phó hiệu trưởng",
            "ban giám hiệu",
            "BGH",
            "cán bộ quản lý giáo dục",
            "HT",
            "PHT",
            "giám đốc",
            "phó giám đốc",
        ),
    ),
    (
        "teacher",
        (
            "giáo viên",
            "GV",
            "nhà giáo",
            "tổng phụ trách",
            "tổng phụ trách đội",
            "TPT",
            "tổ trưởng",
            "tổ phó",
            "khối trưởng",
            "khối phó",
            "tổ trưởng chuyên môn",
            "giáo viên chủ nhiệm",
            "GVCN",
            "cô giáo",
            "thầy giáo",
            "giảng viên",
        ),
    ),
    (
        "staff",
        (
            "nhân viên",
            "NV",
            "người lao động",
            "kế toán",
            "văn thư",
            "y tế",
            "nhân viên y tế",
            "thư viện",
            "thiết bị",
            "bảo vệ",
            "thủ quỹ",
            "cấp dưỡng",
            "phục vụ",
            "lao công",
            "cô nuôi",
            "CNV",
            "công nhân viên",
            "nhân viên hành chính",
        ),
    ),
    (
        "student",
        (
            "học sinh",
            "HS",
            "em",
            "học viên",
            "trẻ",
            "cháu",
            "lớp trưởng",
            "lớp phó",
            "liên đội trưởng",
            "chi đội trưởng",
            "bí thư chi đoàn lớp",
        ),
    ),
)

# Words for "an individual" that do not say which kind; the position decides then.
INDIVIDUAL_WORDS = ("cá nhân", "CN", "các cá nhân")

# A row spanning the table that opens a group ("I. TẬP THỂ", "A. Cán bộ quản lý")
# sets the category of the rows under it only when it starts with one of these:
# a row "Tổ Toán" groups teachers by department and says nothing about their category.
SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("collective", ("tập thể", "các tập thể", "đối với tập thể", "tập thể tiêu biểu", "tập thể xuất sắc")),
    ("manager", ("cán bộ quản lý", "CBQL", "ban giám hiệu", "đối với cán bộ quản lý")),
    ("teacher", ("giáo viên", "nhà giáo", "đối với nhà giáo", "đối với giáo viên")),
    ("staff", ("nhân viên", "người lao động", "đối với người lao động", "đối với nhân viên")),
    ("student", ("học sinh", "đối với học sinh")),
)

# Award forms a section row may name ("II. ĐỀ NGHỊ TẶNG BẰNG KHEN"), longest first where one
# holds another; what the award column of the rows under it means when left empty.
AWARD_WORDS = (
    "Bằng khen của Thủ tướng Chính phủ",
    "Bằng khen",
    "Giấy khen",
    "Chiến sĩ thi đua cơ sở",
    "Chiến sĩ thi đua",
    "Lao động tiên tiến",
    "Tập thể lao động xuất sắc",
    "Tập thể lao động tiên tiến",
    "Giấy chứng nhận",
    "Thư khen",
)

# --- Recognising a document by its title -------------------------------------------


@dataclass(frozen=True)
class TitleRule:
    """A document whose title starts with one of ``heads`` and, when ``about`` is
    not empty, also mentions one of ``about``, is of ``kind``."""

    kind: str
    heads: tuple[str, ...]
    about: tuple[str, ...] = ()


TITLE_RULES: tuple[TitleRule, ...] = (
    TitleRule(
        "registration",
        (
            "Đăng ký",
            "Đăng kí",
            "Phiếu đăng ký",
            "Phiếu đăng kí",
            "Bản đăng ký",
            "Bản đăng kí",
            "Danh sách đăng ký",
            "Bảng đăng ký",
            "Bảng tổng hợp đăng ký",
            "Tổng hợp đăng ký",
        ),
        ("đổi mới", "sáng tạo", "nhiệm vụ", "thi đua"),
    ),
    TitleRule(
        "nomination_list",
        ("Danh sách", "Trích ngang", "Bảng tổng hợp", "Tổng hợp danh sách", "Bảng danh sách", "Tờ trình"),
        (
            "tiêu biểu",
            "xuất sắc",
            "đề nghị khen",
            "khen thưởng",
            "điển hình",
            "thứ tự ưu tiên",
            "đề nghị tuyên dương",
            "tuyên dương",
            "gương người tốt",
            "đề nghị",
        ),
    ),
    TitleRule(
        "evidence",
        (
            "Báo cáo sáng kiến",
            "Báo cáo kết quả nghiên cứu, ứng dụng sáng kiến",
            "Báo cáo biện pháp",
            "Mô tả sáng kiến",
            "Sáng kiến kinh nghiệm",
            "Sáng kiến",
            "Đề tài",
            "Biện pháp",
            "Giải pháp",
            "Giấy khen",
            "Bằng khen",
            "Giấy chứng nhận",
            "Chứng nhận",
            "Chứng chỉ",
            "Thư khen",
            "Quyết định",
            "Kế hoạch bài dạy",
            "Kế hoạch bài học",
            "Giáo án",
            "Bài giảng",
            "Biên bản",
            "Phiếu đánh giá",
            "Phiếu chấm",
            "Chuyên đề",
        ),
    ),
    TitleRule(
        "publicity",
        ("Bài viết", "Tin bài", "Bản tin", "Bài tuyên truyền", "Tin tức", "Phóng sự ảnh", "Bài báo"),
    ),
    TitleRule(
        "report",
        ("Báo cáo",),
        (
            "kết quả thực hiện",
            "phong trào thi đua",
            "thi đua",
            "đổi mới, sáng tạo",
            "đổi mới sáng tạo",
            "sơ kết",
            "tổng kết",
            "kết quả",
        ),
    ),
)

# Titles of other papers an office or school writes; recognised so a blank form
# quoted at the end of a guidance is not taken for a registration.
OTHER_TITLE_HEADS = ("Hướng dẫn", "Kế hoạch", "Công văn", "Thông báo", "Chương trình", "Quy chế")

# Words put before a title that are not part of it: "Mẫu số 2: DANH SÁCH …".
TITLE_PREFIXES = (
    "Mẫu gợi ý số",
    "Mẫu số",
    "Mẫu",
    "Biểu mẫu số",
    "Biểu mẫu",
    "Biểu số",
    "Phụ lục số",
    "Phụ lục",
)

# Words that make a header line name the school ("TRƯỜNG TIỂU HỌC …").
SCHOOL_LINE_HEADS = (
    "Trường",
    "Trường Mầm non",
    "Trường Tiểu học",
    "Trường THCS",
    "Trường THPT",
    "Trường PTDTBT",
    "Trường PTDTNT",
    "Trường TH&THCS",
    "Trường TH và THCS",
    "Trường Trung học",
    "Trường Mẫu giáo",
    "Trường Liên cấp",
    "Trường Phổ thông",
)
# Words in a school's name, written without "Trường" under an empty "Cơ sở giáo dục".
SCHOOL_NAME_WORDS = (
    "Trường",
    "Mầm non",
    "Mẫu giáo",
    "Nhà trẻ",
    "Tiểu học",
    "THCS",
    "THPT",
    "Trung học",
    "TH&THCS",
    "TH và THCS",
    "PTDTBT",
    "PTDTNT",
    "Liên cấp",
    "Phổ thông",
    "Trung tâm GDNN",
    "GDTX",
    "MN",
    "TH",
)
# "Trường học kết nối" is a website and "Trường hợp …" a case, not schools.
NOT_SCHOOL_AFTER_TRUONG = ("học", "hợp")

assert {f.key for f in REGISTRATION_FORM} == set(REGISTRATION_FIELDS)
assert {f.key for f in NOMINEE_COLUMNS} == set(NOMINEE_FIELDS)
assert {key for key, _ in CATEGORY_WORDS} == set(CATEGORIES)
assert {rule.kind for rule in TITLE_RULES} <= set(KINDS)


# --- People a results report names ---------------------------------------------------

# Vietnamese family names: a run of capitalised words starting with one is a person's name
# ("đồng chí Nguyễn Thị Hoa đã hoàn thành …"). Compared folded.
SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Đoàn",
    "Lâm",
    "Trịnh",
    "Mai",
    "Trương",
    "Tạ",
    "Lương",
    "Cao",
    "Hà",
    "Tô",
    "Đào",
    "Kiều",
    "Quách",
    "Thái",
    "Châu",
    "La",
    "Triệu",
    "Lưu",
    "Tống",
    "Chu",
    "Mạc",
    "Khúc",
    "Nông",
    "Lò",
    "Hứa",
    "Thân",
    "Phùng",
    "Kim",
    "Bạch",
    "Âu",
    "Giang",
    "Lại",
    "Lục",
    "Ông",
    "Viên",
    "Diệp",
    "Từ",
    "Tăng",
    "Quan",
    "Ninh",
    "Vương",
    "Khổng",
    "Lã",
    "Bế",
    "Hầu",
    "Nghiêm",
    "Tiêu",
    "Đàm",
    "Thạch",
    "Sầm",
    "Cù",
)
# A capitalised run after one of these words names a school, a street or a place, not a person
# ("Trường THCS Nguyễn Du", "đường Trần Phú", "xã Phong Hòa").
NOT_PERSON_BEFORE = (
    "trường",
    "THCS",
    "THPT",
    "TH",
    "MN",
    "tiểu học",
    "trung học",
    "mầm non",
    "mẫu giáo",
    "liên cấp",
    "đường",
    "phố",
    "xã",
    "huyện",
    "phường",
    "thị trấn",
    "thôn",
    "ấp",
    "bản",
    "quận",
    "tỉnh",
    "thành phố",
    "TP",
    "khu",
    "cụm",
    "sông",
    "núi",
    "cầu",
    "chợ",
    "tư tưởng",
    "phong cách",
    "đạo đức",
    "chủ tịch",
    "bác",
    "lăng",
)
# Names a report may quote that are nobody's registration: people of history, and places
# that start like a family name ("Hà Nội", "Thái Bình").
NOT_PEOPLE = (
    "Hồ Chí Minh",
    "Võ Nguyên Giáp",
    "Nguyễn Ái Quốc",
    "Nguyễn Tất Thành",
    "Trần Hưng Đạo",
    "Lê Lợi",
    "Nguyễn Trãi",
    "Lý Thường Kiệt",
    "Nguyễn Du",
    "Lê Quý Đôn",
    "Chu Văn An",
    "Nguyễn Huệ",
    "Quang Trung",
    "Hà Nội",
    "Hà Tĩnh",
    "Hà Giang",
    "Hà Nam",
    "Thái Bình",
    "Thái Nguyên",
    "Lâm Đồng",
    "Cao Bằng",
    "Kiên Giang",
    "Hậu Giang",
    "Tiền Giang",
    "Bắc Giang",
    "Hồ Tây",
    "Hạ Long",
    "Lào Cai",
)

# --- How replies and messages name a field the school's file did not label ---------

REGISTRATION_DISPLAY_LABELS: dict[str, str] = {field.key: field.official for field in REGISTRATION_FORM}
NOMINEE_DISPLAY_LABELS: dict[str, str] = {
    "rank": "STT",
    "name": "Họ và tên / Tên tập thể",
    "category": "Đối tượng",
    "position": "Chức vụ / nhiệm vụ",
    "achievements": "Tóm tắt thành tích nổi bật",
    "evidence": "Minh chứng, sản phẩm",
    "award": "Hình thức đề nghị khen thưởng",
    "unit": "Trường / đơn vị",
}
