// The name lists. A syllable without any diacritic is listed only when it is itself a common name
// ("An", "Minh", "Thanh"): "Van", "Thi", "Hai", "Huong" are left out on purpose, because they are what OCR makes
// of "Văn", "Thị", "Hải", "Hương" when it drops the marks, and such a reading must be flagged.

extension Vocabulary {
    static let familyNameList = """
                Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Lâm Mai Trịnh Trương
                Lương Hà Tạ Cao Chu Lưu Kiều Phùng Tô Vương Thái Quách Triệu La Đào Khổng Nông Lò Hứa Văn Tăng Từ Âu Ông
                Ninh Nghiêm Mạc Lục Thân Khúc Khương Tống Đàm Lã Lữ Lư Giang Bạch Châu Chử Diệp Doãn Đồng Giáp Hàn Hầu
                Hoa Kim Kha Khuất Lại Lạc Luân Mẫn Mạnh Nhữ Phó Phí Phương Sầm Sơn Tào Thạch Thiều Tiêu Tôn Trang Trình
                Ưng Vi Viên Yên Cù Đậu Đường Hán Hồng Khiếu Lăng Mã Ma Ngọ Ngũ Phù Quản Sử Tất Thập Thục Trà Trác Tưởng
                Ứng Vạn Đới Hình Lỗ Bế Lường Cầm Quàng Tòng Đèo Mùa Giàng Sùng Thào Vàng Hờ Lầu Sình Chẩu Bàn Lìu Thèn
                Sa Sìn Hạ Cung Chung Ân Dư Đổng Giả Bì Cát Kiểu Lạng Mẫu Niê Ksor Siu Rơ Nay Kpă Rcom Y Nguỵ Ngụy Vòng
                Đàng Danh Lô Ôn
        """

    static let nameSyllableList = """
                Ái An Ân Ấn Anh Ánh Ất Âu Ấu Bá Bắc Bách Bạch Bản Bảng Bằng Bảo Bảy Bé Bích Biên Biển Bình Bính Bội Bốn
                Bông Bồng Bửu Cầm Cẩm Cần Cẩn Cảnh Cát Châm Chân Chấn Chánh Châu Chi Chí Chiến Chiêu Chiểu Chín Chinh
                Chính Chỉnh Chúc Chung Chương Chưởng Chuyên Cơ Công Cừ Cúc Cung Củng Cương Cường Cửu Dạ Đa Đắc Đài Đại
                Đam Đạm Đảm Dân Dần Đan Đàn Đán Đang Đăng Đằng Đẳng Danh Đào Đạo Đạt Dậu Đậu Đệ Diễm Điềm Điểm Diên Diễn
                Điền Điển Điện Diệp Điệp Diệu Điều Đinh Đình Đính Định Dịu Đô Đỗ Độ Doãn Đoan Đoàn Đôn Đông Đồng Du Dũ
                Dư Dụ Dự Duẩn Dực Đức Dung Dũng Dụng Dược Dương Dưỡng Đương Đường Duy Duyên Duyệt Em Gấm Gia Giác Giai
                Giản Giang Giao Giáp Giàu Gương Hà Hạ Hải Hàm Hán Hân Hằng Hạnh Hào Hạo Hảo Hậu Hiên Hiến Hiền Hiển Hiện
                Hiệp Hiếu Hiệu Hồ Hoa Hoà Hoá Hòa Hóa Hoài Hoàn Hoán Hoàng Hoằng Hoạt Học Hoè Hòe Hồi Hội Hợi Hồng Hợp
                Huân Huấn Huê Huế Huệ Hùng Hưng Hương Hướng Hường Hưởng Hưu Hữu Huy Huyên Huyền Huỳnh Hy Hỷ Kha Khả Khắc
                Khải Khâm Khang Khánh Khiêm Khiết Khiêu Khoa Khoái Khôi Khởi Khúc Khuê Khuông Khương Khuyên Khuyến Kì
                Kiêm Kiên Kiến Kiện Kiệt Kiều Kim Kính Kỳ Kỷ Lạc Lài Lâm Lãm Lan Lân Lãng Lăng Lạng Lành Lập Lê Lễ Lệ Lí
                Lịch Liêm Liên Liễu Linh Lĩnh Loan Lộc Lợi Long Lư Lữ Lụa Luân Luận Lục Lực Lương Lượng Lưu Luỹ Lũy
                Luyến Luyện Ly Lý Mạc Mai Mẫn Mận Mạnh Mão Mậu Mến Mi Mĩ Miên Miền Minh Mơ Mộng Mùi Mừng Mười My Mỵ Mỹ
                Na Nam Năm Nết Nga Ngà Ngân Ngạn Ngát Nghi Nghị Nghĩa Nghiêm Nghiệp Ngọ Ngoan Ngọc Ngôn Ngũ Ngữ Nguyên
                Nguyện Nguyệt Nhã Nhạc Nhài Nhâm Nhàn Nhân Nhạn Nhẫn Nhất Nhật Nhi Nhị Nhiên Như Nhuận Nhung Nhượng Nhựt
                Nhuỵ Nhụy Ninh Nở Nụ Nữ Nương Oanh Ơn Phái Phán Phấn Pháp Phát Phi Phong Phú Phúc Phục Phùng Phụng Phước
                Phương Phượng Quách Quân Quang Quảng Quế Quí Quốc Quý Quỳ Quyên Quyến Quyền Quyết Quỳnh Sa Sâm Sang Sáng
                Sáu Sen Sĩ Sinh Sơn Song Sử Sự Sương Sửu Sỹ Tá Tài Tám Tâm Tân Tấn Tần Tăng Tạo Tất Thạc Thạch Thái Thẩm
                Thắm Thân Thăng Thắng Thanh Thành Thạnh Thảo Thất Thế Thêm Thị Thiêm Thiên Thiện Thiết Thiều Thiệu Thìn
                Thịnh Thơ Thọ Thoa Thoả Thỏa Thoại Thới Thời Thơm Thông Thu Thư Thụ Thuấn Thuần Thuận Thúc Thục Thức
                Thương Thường Thưởng Thượng Thuý Thuỳ Thuỵ Thuỷ Thùy Thúy Thụy Thủy Thuyên Thuyền Thuyết Thy Tí Tiềm
                Tiên Tiến Tiếp Tiệp Tiểu Tín Tình Tính Tĩnh Tịnh Tố Toại Toàn Toản Tôn Tòng Tông Trà Trác Trạch Trãi
                Trâm Trầm Trân Trấn Trang Tráng Trạng Trí Triển Triết Triều Triệu Trinh Trình Trọng Trúc Trực Trung
                Trưng Trương Trường Truyền Tú Tư Tứ Từ Tuân Tuấn Tuất Túc Tuệ Tùng Tước Tươi Tường Tưởng Tuyên Tuyến
                Tuyền Tuyển Tuyết Tý Tỵ Ước Út Uy Uyên Uyển Vân Văn Vạn Vận Vẹn Vi Vĩ Viên Viễn Viết Việt Vinh Vĩnh Vịnh
                Võ Vọng Vũ Vui Vương Vượng Vy Vỹ Xinh Xoan Xuân Xuyên Xuyến Ý Yên Yến
        """
}
