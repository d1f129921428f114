"""Administrative-style Vietnamese prose for the clean text pages (written for this project; the places,
people and figures are invented)."""

TITLES = [
    "BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "THÔNG BÁO VỀ VIỆC TIẾP NHẬN HỒ SƠ",
    "KẾ HOẠCH TRIỂN KHAI SỐ HÓA HỒ SƠ NĂM 2026",
    "BIÊN BẢN LÀM VIỆC",
    "HƯỚNG DẪN NỘP HỒ SƠ ĐĂNG KÝ CƯ TRÚ",
]

PARAGRAPH_SENTENCES = [
    "Thực hiện Kế hoạch số 125/KH-UBND ngày 15/3/2026 của Ủy ban nhân dân phường về việc đẩy mạnh chuyển đổi số "
    "trong giải quyết thủ tục hành chính, bộ phận một cửa đã tiếp nhận 1.248 hồ sơ trong quý I, tăng 17,5% so với "
    "cùng kỳ năm trước.",
    "Công dân khi đến làm thủ tục đăng ký khai sinh cần xuất trình giấy chứng sinh do cơ sở y tế cấp; trường hợp "
    "không có giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh.",
    "Thời hạn giải quyết là ngay trong ngày tiếp nhận hồ sơ; nếu nhận hồ sơ sau 15 giờ mà không giải quyết được "
    "ngay thì trả kết quả trong ngày làm việc tiếp theo.",
    "Người yêu cầu đăng ký thường trú phải kê khai đầy đủ, trung thực các thông tin trong tờ khai và chịu trách "
    "nhiệm trước pháp luật về nội dung đã kê khai.",
    "Đề nghị các tổ dân phố, thôn, xóm phối hợp rà soát, cập nhật dữ liệu dân cư, bảo đảm thông tin \"đúng, đủ, "
    "sạch, sống\" trước ngày 30/6/2026.",
    "Lệ phí đăng ký kết hôn được miễn đối với công dân Việt Nam cư trú ở trong nước; phí cấp bản sao trích lục là "
    "8.000 đồng/bản.",
    "Trong tháng 10, Công an xã đã giải quyết 356 hồ sơ đăng ký cư trú, trong đó có 214 hồ sơ đăng ký thường trú, "
    "97 hồ sơ đăng ký tạm trú và 45 hồ sơ xóa đăng ký thường trú.",
    "Cán bộ tiếp nhận có trách nhiệm kiểm tra tính hợp lệ, đầy đủ của hồ sơ; nếu hồ sơ chưa đầy đủ thì hướng dẫn "
    "người nộp bổ sung, hoàn thiện theo quy định.",
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được thực hiện đồng thời với quá trình tiếp nhận, "
    "bảo đảm bản điện tử có giá trị pháp lý như bản giấy.",
    "Ủy ban nhân dân xã Hưng Lộc tổ chức hội nghị tổng kết công tác năm 2025, triển khai nhiệm vụ năm 2026 vào "
    "lúc 8 giờ 00 phút, thứ Năm, ngày 08/01/2026, tại hội trường trụ sở.",
    "Thành phần tham dự gồm: Thường trực Đảng ủy; lãnh đạo Hội đồng nhân dân, Ủy ban nhân dân xã; trưởng các ban, "
    "ngành, đoàn thể và 18 trưởng thôn.",
    "Kinh phí thực hiện là 245.600.000 đồng (Hai trăm bốn mươi lăm triệu sáu trăm nghìn đồng), được bố trí từ "
    "nguồn ngân sách địa phương năm 2026.",
    "Quá trình triển khai còn một số khó khăn, vướng mắc như: đường truyền mạng chập chờn, thiết bị quét đã cũ, "
    "một bộ phận người dân chưa quen sử dụng dịch vụ công trực tuyến.",
    "Để khắc phục, phường đã bố trí 02 tình nguyện viên thường trực tại bộ phận một cửa, hướng dẫn người dân khai "
    "báo, nộp hồ sơ và thanh toán lệ phí qua Cổng Dịch vụ công quốc gia.",
    "Tỷ lệ hồ sơ được giải quyết đúng và trước hạn đạt 98,7%; không có hồ sơ trễ hạn do lỗi chủ quan của cán bộ, "
    "công chức.",
    "Mọi ý kiến phản ánh, kiến nghị về quy định hành chính xin gửi về địa chỉ: Số 45, đường Trần Phú, phường Hải "
    "Châu, thành phố Đà Nẵng; điện thoại 0236.3822.115.",
    "Giấy tờ nộp kèm gồm: bản sao giấy chứng nhận quyền sử dụng đất; hợp đồng cho thuê, cho mượn, cho ở nhờ chỗ ở "
    "hợp pháp (nếu có); văn bản đồng ý của chủ hộ.",
    "Trường hợp người yêu cầu là người chưa thành niên thì cha, mẹ hoặc người giám hộ phải ghi ý kiến đồng ý vào "
    "tờ khai, trừ trường hợp đã có văn bản đồng ý riêng.",
    "Ngày 14 tháng 7 năm 2026, đoàn kiểm tra liên ngành đã làm việc tại 6 điểm tiếp nhận, lập biên bản ghi nhận "
    "những ưu điểm và tồn tại cần khắc phục.",
    "Các đơn vị được giao nhiệm vụ báo cáo kết quả thực hiện bằng văn bản về Văn phòng Ủy ban nhân dân trước 16 giờ "
    "30 phút ngày thứ Sáu hằng tuần để tổng hợp.",
    "Người dân có thể tra cứu tình trạng hồ sơ bằng mã số ghi trên giấy tiếp nhận, hoặc quét mã QR in ở góc trên "
    "bên phải của phiếu hẹn trả kết quả.",
    "Sau khi nhận kết quả, đề nghị công dân kiểm tra kỹ các thông tin về họ, chữ đệm, tên, ngày tháng năm sinh, "
    "quê quán; nếu phát hiện sai sót thì thông báo ngay cho cán bộ tiếp nhận.",
    "Năm 2026, toàn tỉnh phấn đấu 100% thủ tục hành chính đủ điều kiện được cung cấp dưới hình thức dịch vụ công "
    "trực tuyến toàn trình, tối thiểu 80% hồ sơ được xử lý hoàn toàn trực tuyến.",
    "Những hộ gia đình thuộc diện hộ nghèo, hộ cận nghèo được hỗ trợ 50% chi phí sao y, chứng thực giấy tờ khi "
    "thực hiện thủ tục tại bộ phận tiếp nhận và trả kết quả.",
    "Biên bản này được lập thành 03 bản có giá trị pháp lý như nhau, mỗi bên giữ 01 bản, 01 bản lưu hồ sơ; các bên "
    "đã đọc lại, thống nhất và cùng ký tên dưới đây.",
    "Ông Trần Quốc Khánh, sinh năm 1978, thường trú tại thôn Yên Khê, xã Đông Thịnh, đã nộp đầy đủ lệ phí và nhận "
    "giấy hẹn trả kết quả vào ngày 25/11/2026.",
    "Khuyến khích người dân sử dụng tài khoản định danh điện tử mức độ 2 để đăng nhập, hạn chế việc khai lại những "
    "thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư.",
    "Trưởng thôn có trách nhiệm thông báo rộng rãi nội dung này trên hệ thống loa truyền thanh ít nhất 03 lần trong "
    "tuần, vào buổi sáng từ 6 giờ đến 6 giờ 30 phút.",
    "Hồ sơ lưu trữ phải được sắp xếp theo thứ tự thời gian, đánh số tờ, lập mục lục và bảo quản trong hộp, cặp "
    "chuyên dụng, tránh ẩm mốc, mối mọt.",
    "Bà Lê Thị Thu Hường, sinh ngày 19/02/1985, đề nghị điều chỉnh nơi thường trú từ tổ dân phố Nghĩa Đô sang số "
    "17, ngõ 92, đường Hoàng Quốc Việt theo hợp đồng mua bán nhà ở đã công chứng.",
    "Kết quả khảo sát cho thấy 91,3% người được hỏi hài lòng với thái độ phục vụ; 6,2% đề nghị rút ngắn thời gian "
    "chờ; 2,5% chưa hài lòng vì phải đi lại nhiều lần.",
    "Từ ngày 01/7/2025, việc tổ chức chính quyền địa phương hai cấp được thực hiện trên phạm vi cả nước; các giấy "
    "tờ đã cấp trước đó vẫn tiếp tục có giá trị sử dụng.",
    "Đối với trẻ em sinh ra ở nước ngoài chưa được đăng ký khai sinh, nay về cư trú tại Việt Nam, thì hồ sơ phải "
    "có giấy tờ chứng minh việc sinh và giấy tờ chứng minh quốc tịch của cha, mẹ.",
    "Ủy ban nhân dân xã yêu cầu công chức tư pháp - hộ tịch chủ trì, phối hợp với Công an xã và các thôn triển khai "
    "thực hiện nghiêm túc, hiệu quả các nội dung nêu trên.",
]
