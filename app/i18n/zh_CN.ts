<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiKeyModel</name>
    <message>
        <source>The API key is empty: paste the whole key and try again.</source>
        <translation>API 密钥为空：请粘贴完整的密钥后重试。</translation>
    </message>
    <message>
        <source>This computer has no system keyring to keep the API key in: set the OPENAI_API_KEY environment variable instead.</source>
        <translation>这台电脑没有可保存 API 密钥的系统钥匙串：请改为设置环境变量 OPENAI_API_KEY。</translation>
    </message>
    <message>
        <source>The system keyring refused the change (is it locked?): unlock it and try again.</source>
        <translation>系统钥匙串拒绝了此更改（是否已锁定？）：请解锁后重试。</translation>
    </message>
    <message>
        <source>The system keyring could not be used: try again.</source>
        <translation>无法使用系统钥匙串：请重试。</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Load CSV…</source>
        <translation>载入 CSV…</translation>
    </message>
    <message>
        <source>A UTF-8 CSV with a header: each row fills the spec&apos;s {column} placeholders</source>
        <translation>带表头的 UTF-8 CSV：每一行的值填入规格中的 {列名} 占位符</translation>
    </message>
    <message>
        <source>Directly, a few at a time</source>
        <translation>直接发送，每次几个</translation>
    </message>
    <message>
        <source>As a Batch (half price, within 24 h)</source>
        <translation>作为批处理（半价，24 小时内完成）</translation>
    </message>
    <message>
        <source>Run rows</source>
        <translation>运行各行</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the run; images that arrived are kept</source>
        <translation>停止运行；已收到的图片会保留</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Texts</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>预估</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Load rows</source>
        <translation>载入表格</translation>
    </message>
    <message>
        <source>CSV tables (*.csv);;All files (*)</source>
        <translation>CSV 表格 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No table loaded</source>
        <translation>未载入表格</translation>
    </message>
    <message numerus="yes">
        <source>Run %n row(s)</source>
        <translation>
            <numerusform>运行 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a CSV: one job per row, its values in the spec&apos;s {column}s.</source>
        <translation>载入 CSV：每行一个任务，其值填入规格中的 {列名}。</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left out (marked)</source>
        <translation>
            <numerusform>跳过 %n 行（已标出）</numerusform>
        </translation>
    </message>
    <message>
        <source>about {usd} in all, at the Batch API&apos;s half price</source>
        <translation>共约 {usd}（批处理 API 半价）</translation>
    </message>
    <message>
        <source>about {usd} in all</source>
        <translation>共约 {usd}</translation>
    </message>
    <message>
        <source>batch {id}</source>
        <translation>批处理 {id}</translation>
    </message>
    <message>
        <source>{done}/{total} done, {running} running, {failed} failed, {usd} so far</source>
        <translation>已完成 {done}/{total}，运行中 {running}，失败 {failed}，已花费 {usd}</translation>
    </message>
</context>
<context>
    <name>BuilderPanel</name>
    <message>
        <source>Describe the image in English: subject, composition, lighting…</source>
        <translation>用英文描述画面：主体、构图、光线……</translation>
    </message>
    <message>
        <source>Style (optional): flat, vintage poster…</source>
        <translation>风格（可选）：扁平、复古海报……</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the compiled prompt</source>
        <translation>复制生成的提示词</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>画面描述</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Text in the image</source>
        <translation>图中文字</translation>
    </message>
    <message>
        <source>Compiled prompt</source>
        <translation>最终提示词</translation>
    </message>
    <message>
        <source>Describe the image or add a text, then Generate.</source>
        <translation>描述画面或添加文字，然后点击“生成”。</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Select two images in Variations (Ctrl+click) to compare them here.</source>
        <translation>在“变体”中选择两张图片（Ctrl+单击），即可在这里对比。</translation>
    </message>
</context>
<context>
    <name>ConnectionTester</name>
    <message>
        <source>The test could not be run: try again.</source>
        <translation>无法进行测试：请重试。</translation>
    </message>
    <message numerus="yes">
        <source>Connected: the service offers %n model(s).</source>
        <translation>
            <numerusform>连接成功：该服务提供 %n 个模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>The service refused the API key (HTTP {0}): check the key below.</source>
        <translation>服务拒绝了 API 密钥（HTTP {0}）：请检查下方的密钥。</translation>
    </message>
    <message>
        <source>The service answered, but has no /models there (HTTP 404): check that the base URL ends in /v1.</source>
        <translation>服务有响应，但找不到 /models（HTTP 404）：请确认基础 URL 以 /v1 结尾。</translation>
    </message>
    <message>
        <source>The service answered with an error (HTTP {0}): try again later.</source>
        <translation>服务返回了错误（HTTP {0}）：请稍后重试。</translation>
    </message>
    <message>
        <source>The service did not answer in time: check the address and network.</source>
        <translation>服务未及时响应：请检查地址和网络。</translation>
    </message>
    <message>
        <source>The service could not be reached: check the base URL and your network.</source>
        <translation>无法连接到服务：请检查基础 URL 和网络。</translation>
    </message>
    <message>
        <source>Something answered, but not like an OpenAI-compatible service: check the base URL.</source>
        <translation>有响应，但不像兼容 OpenAI 的服务：请检查基础 URL。</translation>
    </message>
</context>
<context>
    <name>GalleryPage</name>
    <message>
        <source>Generated images appear here. Select one to see it large.</source>
        <translation>生成的图片会显示在这里。选中一张可查看大图。</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Open in viewer</source>
        <translation>在查看器中打开</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Unfavourite</source>
        <translation>取消收藏</translation>
    </message>
</context>
<context>
    <name>GenerationBar</name>
    <message>
        <source>The image model</source>
        <translation>图像模型</translation>
    </message>
    <message>
        <source>Higher quality costs more and takes longer</source>
        <translation>质量越高，费用越高，耗时越长</translation>
    </message>
    <message>
        <source>How many images to make (1 to 10)</source>
        <translation>要生成的图片数量（1 到 10）</translation>
    </message>
    <message>
        <source>Transparent needs PNG or WebP</source>
        <translation>透明背景需要 PNG 或 WebP 格式</translation>
    </message>
    <message>
        <source>The file format of the images</source>
        <translation>图片的文件格式</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>WebP and JPEG compression, 0 to 100</source>
        <translation>WebP 和 JPEG 的压缩率，0 到 100</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter)</source>
        <translation>生成（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running jobs; images that arrived are kept (Esc)</source>
        <translation>停止正在运行的任务；已收到的图片会保留（Esc）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Nothing to estimate yet</source>
        <translation>暂无可预估的内容</translation>
    </message>
    <message>
        <source>About {input} input tokens and {output} output tokens ({per} per image × {n}).</source>
        <translation>约 {input} 个输入 token 和 {output} 个输出 token（每张 {per} × {n}）。</translation>
    </message>
    <message>
        <source>Not included: the {count} partial previews per image, retries, and reference images.</source>
        <translation>未计入：每张图片的 {count} 个过程预览、重试和参考图。</translation>
    </message>
    <message>
        <source>On the service: ≈ {amount}</source>
        <translation>在线服务：≈ {amount}</translation>
    </message>
    <message>
        <source>The local engine makes drafts at no cost; this is the service&apos;s price.</source>
        <translation>本地引擎生成草稿不收费；这里显示的是在线服务的价格。</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>Job {id}: {n} images, {size}</source>
        <translation>任务 {id}：{n} 张图片，{size}</translation>
    </message>
    <message>
        <source>local drafts</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel the selected job; images that arrived are kept</source>
        <translation>取消选中的任务；已收到的图片会保留</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Builder</source>
        <translation>设计</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>表格行</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open Recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>图片(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Zi Studio spec (*.json);;Studio image (*.png *.webp *.jpg *.jpeg)</source>
        <translation>Zi Studio 设计文件 (*.json);;Studio 图片 (*.png *.webp *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Open spec</source>
        <translation>打开设计文件</translation>
    </message>
    <message>
        <source>Save spec</source>
        <translation>保存设计文件</translation>
    </message>
    <message>
        <source>Zi Studio spec (*.json)</source>
        <translation>Zi Studio 设计文件 (*.json)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The spec has unsaved changes. Discard them?</source>
        <translation>设计文件有未保存的更改。要放弃这些更改吗？</translation>
    </message>
    <message>
        <source>Save the changes to the spec before closing?</source>
        <translation>关闭前要保存对设计文件的更改吗？</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>, </source>
        <comment>between the items of a list</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
    <message>
        <source>The service refused the API key. Check the key in Settings.</source>
        <translation>服务拒绝了 API 密钥。请在“设置”中检查密钥。</translation>
    </message>
    <message>
        <source>The service&apos;s safety system blocked this request. Change the description or the texts and try again.</source>
        <translation>服务的安全系统拦截了此请求。请修改画面描述或文字后重试。</translation>
    </message>
    <message>
        <source>The service is busy or your quota is used up. Try again later.</source>
        <translation>服务繁忙或额度已用完。请稍后重试。</translation>
    </message>
    <message>
        <source>The service refused the request.</source>
        <translation>服务拒绝了此请求。</translation>
    </message>
    <message>
        <source>The service did not answer in time. Try again.</source>
        <translation>服务未及时响应。请重试。</translation>
    </message>
    <message>
        <source>Cannot reach the image service. Check the network.</source>
        <translation>无法连接图像服务。请检查网络。</translation>
    </message>
    <message>
        <source>The service failed. Try again later.</source>
        <translation>服务出错。请稍后重试。</translation>
    </message>
    <message>
        <source>These settings cannot be sent.</source>
        <translation>无法按这些参数发送请求。</translation>
    </message>
    <message>
        <source>An image could not be saved; what was saved is kept.</source>
        <translation>有图片无法保存；已保存的内容会保留。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The service sent fewer images than asked for.</source>
        <translation>服务返回的图片少于请求的数量。</translation>
    </message>
    <message>
        <source>The job stopped unexpectedly.</source>
        <translation>任务意外中止。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出了点问题。</translation>
    </message>
    <message>
        <source>The file could not be opened.</source>
        <translation>无法打开该文件。</translation>
    </message>
    <message>
        <source>The spec could not be saved.</source>
        <translation>无法保存设计文件。</translation>
    </message>
    <message>
        <source>The spec could not be autosaved.</source>
        <translation>无法自动保存设计文件。</translation>
    </message>
    <message>
        <source>Restored the spec you were working on before the studio closed.</source>
        <translation>已恢复上次关闭前正在编辑的设计文件。</translation>
    </message>
    <message>
        <source>No API key is set: images are local drafts made on this computer, at no cost.</source>
        <translation>未设置 API 密钥：图片为本机生成的本地草稿，不产生费用。</translation>
    </message>
    <message>
        <source>The image engine could not start.</source>
        <translation>图像引擎无法启动。</translation>
    </message>
    <message>
        <source>The library could not be opened.</source>
        <translation>无法打开图库。</translation>
    </message>
    <message>
        <source>Jobs interrupted earlier were found; their images are kept.</source>
        <translation>发现之前中断的任务；其中的图片已保留。</translation>
    </message>
    <message>
        <source>The image file is missing.</source>
        <translation>图片文件不存在。</translation>
    </message>
    <message>
        <source>Some settings could not be read and went back to their defaults.</source>
        <translation>部分设置无法读取，已恢复为默认值。</translation>
    </message>
    <message>
        <source>The settings could not be saved. They stay in use until the studio closes: free some disk space, then change a setting to save again.</source>
        <translation>无法保存设置。在关闭 Zi Studio 之前，这些设置仍然有效：请释放一些磁盘空间，然后修改任一设置以再次保存。</translation>
    </message>
    <message>
        <source>Not sent: this job is estimated at {usd}, over your spending cap of {cap}. Lower the variations, quality or size, or raise the cap in Settings.</source>
        <translation>未发送：此任务预估 {usd}，超过了你设置的花费上限 {cap}。请减少数量、降低质量或尺寸，或在“设置”中提高上限。</translation>
    </message>
    <message>
        <source>Not sent: no price is known for {model}, so the spending cap cannot be checked.</source>
        <translation>未发送：{model} 的价格未知，无法检查花费上限。</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Use the local engine</source>
        <translation>使用本地引擎</translation>
    </message>
    <message>
        <source>{ratio} is outside the allowed ratios, 1:3 to 3:1.</source>
        <translation>{ratio} 超出了允许的比例范围（1:3 到 3:1）。</translation>
    </message>
    <message>
        <source>Write the ratio as W:H, for example 3:4.</source>
        <translation>请按 宽:高 填写比例，例如 3:4。</translation>
    </message>
    <message>
        <source>Write the size as WIDTHxHEIGHT, for example 1024x1536.</source>
        <translation>请按 宽x高 填写尺寸，例如 1024x1536。</translation>
    </message>
    <message>
        <source>Both sides must be greater than zero.</source>
        <translation>宽和高都必须大于 0。</translation>
    </message>
    <message>
        <source>Both sides must be multiples of 16.</source>
        <translation>宽和高都必须是 16 的倍数。</translation>
    </message>
    <message>
        <source>The ratio must be between 1:3 and 3:1.</source>
        <translation>比例必须在 1:3 到 3:1 之间。</translation>
    </message>
    <message>
        <source>The long edge can be at most 3840 pixels.</source>
        <translation>长边最多 3840 像素。</translation>
    </message>
    <message>
        <source>Too small: at least 655,360 pixels.</source>
        <translation>太小：至少需要 655,360 像素。</translation>
    </message>
    <message>
        <source>Too large: at most 8,294,400 pixels.</source>
        <translation>太大：最多 8,294,400 像素。</translation>
    </message>
    <message>
        <source>This size is not accepted.</source>
        <translation>不支持此尺寸。</translation>
    </message>
    <message>
        <source>{length} characters: long texts come out wrong more often. Split it into shorter blocks.</source>
        <translation>共 {length} 个字：文字越长越容易出错。请拆分成较短的文字块。</translation>
    </message>
    <message>
        <source>Empty: type the exact text, or remove this block.</source>
        <translation>为空：请输入准确的文字，或删除此文字块。</translation>
    </message>
    <message>
        <source>Landscape 16:9</source>
        <translation>横版 16:9</translation>
    </message>
    <message>
        <source>Banner 3:1</source>
        <translation>横幅 3:1</translation>
    </message>
    <message>
        <source>A4 poster 1:1.414</source>
        <translation>A4 海报 1:1.414</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>主标题</translation>
    </message>
    <message>
        <source>Subhead</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>说明文字</translation>
    </message>
    <message>
        <source>Button</source>
        <translation>按钮</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>arriving</source>
        <translation>接收中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>extra high</source>
        <translation>超高</translation>
    </message>
    <message>
        <source>maximum</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>opaque</source>
        <translation>不透明</translation>
    </message>
    <message>
        <source>transparent</source>
        <translation>透明</translation>
    </message>
</context>
<context>
    <name>RatioPicker</name>
    <message>
        <source>Canvas ratio {ratio}</source>
        <translation>画布比例 {ratio}</translation>
    </message>
    <message>
        <source>W:H</source>
        <translation>宽:高</translation>
    </message>
    <message>
        <source>Any ratio from 1:3 to 3:1, for example 5:4</source>
        <translation>1:3 到 3:1 之间的任意比例，例如 5:4</translation>
    </message>
    <message>
        <source>exact size</source>
        <translation>精确尺寸</translation>
    </message>
    <message>
        <source>The long edge: 1k = 1024, 2k = 2048, 4k = 3840 pixels</source>
        <translation>长边：1k = 1024，2k = 2048，4k = 3840 像素</translation>
    </message>
    <message>
        <source>WIDTHxHEIGHT</source>
        <translation>宽x高</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>The service picks the size.</source>
        <translation>由服务决定尺寸。</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Experimental: above 2560x1440 the service is less reliable.</source>
        <translation>实验性：超过 2560x1440 时，服务不太稳定。</translation>
    </message>
    <message>
        <source>Use {size}</source>
        <translation>改用 {size}</translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>making…</source>
        <translation>生成中…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Open series…</source>
        <translation>打开系列…</translation>
    </message>
    <message>
        <source>A spec with 2 to 16 shots</source>
        <translation>含 2 到 16 个镜头的规格</translation>
    </message>
    <message>
        <source>Make series</source>
        <translation>生成系列</translation>
    </message>
    <message>
        <source>Make shot again</source>
        <translation>重新生成此镜头</translation>
    </message>
    <message>
        <source>The selected shot alone, from the same reference</source>
        <translation>只重新生成选中的镜头，沿用同一张参考图</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>The shots as numbered files, in order</source>
        <translation>按顺序导出为编号文件</translation>
    </message>
    <message>
        <source>Open series</source>
        <translation>打开系列</translation>
    </message>
    <message>
        <source>Specs (*.json)</source>
        <translation>规格文件 (*.json)</translation>
    </message>
    <message>
        <source>Export series</source>
        <translation>导出系列</translation>
    </message>
    <message>
        <source>each shot after the first carries the previous one</source>
        <translation>第一张之后的每张都以上一张为参考</translation>
    </message>
    <message>
        <source>each shot after the first carries the first</source>
        <translation>第一张之后的每张都以第一张为参考</translation>
    </message>
    <message>
        <source>No series loaded</source>
        <translation>未载入系列</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Embedded engine: local layout drafts, no cost</source>
        <translation>内置引擎：本地排版草稿，不产生费用</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>Custom OpenAI-compatible service</source>
        <translation>自定义的 OpenAI 兼容服务</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>密钥：</translation>
    </message>
    <message>
        <source>Store key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>Paste a new key</source>
        <translation>粘贴新的密钥</translation>
    </message>
    <message>
        <source>It is kept in the system keyring, never in a file.</source>
        <translation>密钥保存在系统钥匙串中，不会写入任何文件。</translation>
    </message>
    <message>
        <source>New key:</source>
        <translation>新密钥：</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Default model:</source>
        <translation>默认模型：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>超时：</translation>
    </message>
    <message>
        <source>Retries:</source>
        <translation>重试次数：</translation>
    </message>
    <message>
        <source>Jobs at once:</source>
        <translation>同时运行的任务数：</translation>
    </message>
    <message>
        <source>No cap</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <source>The most one generation may cost, in US dollars.</source>
        <translation>单次生成最多可花费的金额（美元）。</translation>
    </message>
    <message>
        <source>Spending cap (US$ per generation):</source>
        <translation>花费上限（每次生成，美元）：</translation>
    </message>
    <message>
        <source>Read the text back after each image is made</source>
        <translation>每张图片生成后回读检查文字</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>A new language is used the next time Zi Studio starts.</source>
        <translation>新语言将在下次启动 Zi Studio 时生效。</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Enter an amount in US dollars, like 0.50, or leave it empty for no cap.</source>
        <translation>请输入美元金额，例如 0.50；留空表示不设上限。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Stored in the system keyring (never shown).</source>
        <translation>已保存在系统钥匙串中（不会显示）。</translation>
    </message>
    <message>
        <source>From the OPENAI_API_KEY environment variable; it is used before a stored key.</source>
        <translation>来自环境变量 OPENAI_API_KEY，优先于已保存的密钥。</translation>
    </message>
    <message>
        <source>None: without a key, the embedded engine makes local drafts.</source>
        <translation>无：没有密钥时，由内置引擎生成本地草稿。</translation>
    </message>
    <message>
        <source>Looking in the system keyring…</source>
        <translation>正在查看系统钥匙串…</translation>
    </message>
</context>
<context>
    <name>SettingsProblem</name>
    <message>
        <source>This value is not allowed.</source>
        <translation>不允许此值。</translation>
    </message>
    <message>
        <source>Choose one of: {0}.</source>
        <translation>请从以下选项中选择：{0}。</translation>
    </message>
    <message>
        <source>Enter at least {0}.</source>
        <translation>请输入不小于 {0} 的值。</translation>
    </message>
    <message>
        <source>Enter at most {0}.</source>
        <translation>请输入不大于 {0} 的值。</translation>
    </message>
    <message>
        <source>This cannot be empty.</source>
        <translation>此项不能为空。</translation>
    </message>
    <message>
        <source>Enter a base URL like https://host/v1.</source>
        <translation>请输入类似 https://host/v1 的基础 URL。</translation>
    </message>
    <message>
        <source>This base URL cannot be read: enter one like https://host/v1.</source>
        <translation>无法识别此基础 URL：请输入类似 https://host/v1 的地址。</translation>
    </message>
    <message>
        <source>Leave the user name and password out of the URL: enter the API key below instead.</source>
        <translation>请不要在 URL 中包含用户名和密码：请在下方填写 API 密钥。</translation>
    </message>
    <message>
        <source>A service on another computer needs https://, so the API key is not sent openly.</source>
        <translation>其他电脑上的服务必须使用 https://，以免 API 密钥以明文发送。</translation>
    </message>
    <message>
        <source>Enter the base URL of the custom service.</source>
        <translation>请输入自定义服务的基础 URL。</translation>
    </message>
</context>
<context>
    <name>StudioStatusBar</name>
    <message>
        <source>Engine: starting…</source>
        <translation>引擎：正在启动…</translation>
    </message>
    <message>
        <source>Engine: local drafts</source>
        <translation>引擎：本地草稿</translation>
    </message>
    <message>
        <source>Engine: local drafts (no API key)</source>
        <translation>引擎：本地草稿（无 API 密钥）</translation>
    </message>
    <message>
        <source>Engine: OpenAI</source>
        <translation>引擎：OpenAI</translation>
    </message>
    <message>
        <source>Engine: {host}</source>
        <translation>引擎：{host}</translation>
    </message>
    <message>
        <source>Session: ≈ {estimated} estimated / {actual} actual</source>
        <translation>本次：预估 ≈ {estimated} / 实际 {actual}</translation>
    </message>
    <message>
        <source>{count} job(s) running or queued</source>
        <translation>{count} 个任务正在运行或排队</translation>
    </message>
</context>
<context>
    <name>TextBlocksEditor</name>
    <message>
        <source>Add text</source>
        <translation>添加文字</translation>
    </message>
    <message>
        <source>Add a text block (Ctrl+Shift+Enter)</source>
        <translation>添加一个文字块（Ctrl+Shift+Enter）</translation>
    </message>
</context>
<context>
    <name>TileDelegate</name>
    <message>
        <source>local draft</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>arriving… preview {count}</source>
        <translation>接收中… 预览 {count}</translation>
    </message>
    <message>
        <source>Variation {number}</source>
        <translation>变体 {number}</translation>
    </message>
</context>
<context>
    <name>_BlockRow</name>
    <message>
        <source>Role of text {number}</source>
        <translation>文字 {number} 的角色</translation>
    </message>
    <message>
        <source>The exact text, as it must appear</source>
        <translation>准确的文字，须与图中完全一致</translation>
    </message>
    <message>
        <source>Move up (Alt+Up)</source>
        <translation>上移（Alt+Up）</translation>
    </message>
    <message>
        <source>Move down (Alt+Down)</source>
        <translation>下移（Alt+Down）</translation>
    </message>
    <message>
        <source>Remove (Ctrl+Shift+Delete)</source>
        <translation>删除（Ctrl+Shift+Delete）</translation>
    </message>
</context>
<context>
    <name>_Grip</name>
    <message>
        <source>Drag to move this text (or Alt+Up / Alt+Down)</source>
        <translation>拖动以移动这段文字（或按 Alt+↑ / Alt+↓）</translation>
    </message>
</context>
<context>
    <name>gallery</name>
    <message>
        <source>Discard image</source>
        <translation>丢弃图片</translation>
    </message>
</context>
</TS>
